package dev.rlhf.runtime.service;

import dev.rlhf.runtime.config.RuntimeSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of generation threads behind a bounded queue. When the queue is full the work is
 * refused at once ({@link OverloadedException}), so overload turns into quick 429s instead of a
 * growing backlog of requests that time out anyway.
 */
@ApplicationScoped
public class GenerationQueue {

  private final ThreadPoolExecutor executor;
  private final int queueSize;

  GenerationQueue(RuntimeSettings settings, MeterRegistry meters) {
    int threads = Math.max(1, settings.concurrency());
    this.queueSize = Math.max(0, settings.queueSize());
    BlockingQueue<Runnable> queue =
        queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
    AtomicInteger count = new AtomicInteger();
    executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, "generation-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Gauge.builder("rlhf.runtime.queue.depth", executor, e -> e.getQueue().size())
        .description("generations waiting for a free slot")
        .register(meters);
    Gauge.builder("rlhf.runtime.generations.active", executor, ThreadPoolExecutor::getActiveCount)
        .description("generations being computed")
        .register(meters);
  }

  /** Runs {@code work} on a generation thread and waits for it. */
  public <T> T run(Callable<T> work) {
    Future<T> future;
    try {
      future = executor.submit(work);
    } catch (RejectedExecutionException e) {
      throw new OverloadedException(queueSize);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a generation", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Generations being computed now. */
  public int active() {
    return executor.getActiveCount();
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }
}
