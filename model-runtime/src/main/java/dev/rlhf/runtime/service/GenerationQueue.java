package dev.rlhf.runtime.service;

import dev.rlhf.runtime.config.RuntimeSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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

  /**
   * Queues {@code work}; {@code always} runs once the work is over, whether it ran, failed or was
   * cancelled before it started.
   *
   * @throws OverloadedException when the queue is full ({@code always} has run then too)
   */
  public <T> Job<T> submit(Callable<T> work, Runnable always) {
    Job<T> job = new Job<>(work, always);
    try {
      job.future = executor.submit(job::call);
    } catch (RejectedExecutionException e) {
      always.run();
      throw new OverloadedException(queueSize);
    }
    return job;
  }

  /**
   * Queued or running work. Cancelling interrupts it only while it runs, under a lock that the end
   * of the work also takes, so an interrupt never leaks into the thread's next job.
   */
  public static final class Job<T> {

    private final Callable<T> work;
    private final Runnable always;
    private volatile Future<T> future;
    private Thread runner;
    private boolean cancelled;

    private Job(Callable<T> work, Runnable always) {
      this.work = work;
      this.always = always;
    }

    private T call() throws Exception {
      synchronized (this) {
        if (cancelled) {
          always.run();
          throw new CancellationException("cancelled before it started");
        }
        runner = Thread.currentThread();
      }
      try {
        return work.call();
      } finally {
        synchronized (this) {
          runner = null;
          Thread.interrupted();
        }
        always.run();
      }
    }

    /** Stops the work between two steps, or before it starts. */
    public synchronized void cancel() {
      cancelled = true;
      if (runner != null) {
        runner.interrupt();
      }
    }

    public boolean isDone() {
      return future.isDone();
    }

    /** Waits for the result; the work's own runtime exceptions are thrown as they are. */
    public T await() {
      try {
        return future.get();
      } catch (InterruptedException e) {
        cancel();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a generation", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      }
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
