package dev.rlhf.runtime.service;

import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.sample.TokenListener;
import dev.rlhf.runtime.config.RuntimeSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Generations waiting for the {@link DecodingLoop}, one bounded queue per {@link Source}. A full
 * queue refuses new work at once ({@link OverloadedException}), so overload turns into quick 429s
 * instead of a growing backlog of requests that time out anyway. Between two decoding steps the
 * loop admits waiting work while the batch has room, alternating between the sources: an HTTP
 * request, then a Kafka request, and so on while both wait, so neither starves the other.
 */
@ApplicationScoped
public class GenerationQueue {

  /** Who asked for a generation; admission alternates between them. */
  public enum Source {
    HTTP,
    KAFKA
  }

  /** What to decode: {@code n} completions of a prompt on a network. */
  public record Task(
      LanguageModel network, int[] prompt, int n, SamplingParams params, TokenListener listener) {}

  /** Turns a finished generation's completions into the job's result, on the decoding thread. */
  @FunctionalInterface
  public interface Finisher<T> {
    T finish(List<Completion> completions, long decodingNanos);
  }

  private final Map<Source, Integer> queueSizes = new EnumMap<>(Source.class);
  private final Map<Source, Deque<Job<?>>> waiting = new EnumMap<>(Source.class);
  private final DecodingLoop loop;
  private final Counter cancelled;
  private Source admittedLast = Source.KAFKA;

  @Inject
  GenerationQueue(RuntimeSettings settings, MeterRegistry meters) {
    this(
        settings.maxBatchRows(),
        settings.queueSize(),
        Math.max(settings.queueSize(), settings.kafkaRequestsInFlight()),
        meters);
  }

  /**
   * @param maxBatchRows the most sequences decoded together; 1 decodes one request at a time
   * @param httpQueue HTTP requests that may wait beyond the batch before a 429
   * @param kafkaQueue Kafka requests that may wait beyond the batch
   */
  public GenerationQueue(int maxBatchRows, int httpQueue, int kafkaQueue, MeterRegistry meters) {
    queueSizes.put(Source.HTTP, Math.max(0, httpQueue));
    queueSizes.put(Source.KAFKA, Math.max(0, kafkaQueue));
    for (Source s : Source.values()) {
      waiting.put(s, new ArrayDeque<>());
    }
    DistributionSummary rows =
        DistributionSummary.builder("rlhf.runtime.batch.rows")
            .description("sequences decoded together, per decoding step")
            .register(meters);
    this.cancelled =
        Counter.builder("rlhf.runtime.generations.cancelled")
            .description("generations stopped early because their stream's client went away")
            .register(meters);
    this.loop = new DecodingLoop(this, Math.max(1, maxBatchRows), rows);
    Gauge.builder("rlhf.runtime.queue.depth", this, GenerationQueue::waitingCount)
        .description("generations waiting for room in the batch")
        .register(meters);
    Gauge.builder("rlhf.runtime.generations.active", loop, DecodingLoop::activeRequests)
        .description("generations being decoded")
        .register(meters);
    Gauge.builder("rlhf.runtime.batch.rows.active", loop, DecodingLoop::activeRows)
        .description("sequences in the batch being decoded now")
        .register(meters);
    loop.start();
  }

  /**
   * Queues {@code task}; {@code always} runs once the work is over, whether it ran, failed or was
   * cancelled before it started.
   *
   * @throws OverloadedException when the source's queue is full ({@code always} has run then too)
   */
  public <T> Job<T> submit(Source source, Task task, Finisher<T> finish, Runnable always) {
    Job<T> job = new Job<>(this, task, finish, always);
    synchronized (this) {
      Deque<Job<?>> queue = waiting.get(source);
      int limit = queueSizes.get(source);
      if (task.n() > roomAfter() && beyondTheBatch(source) >= limit) {
        job.end();
        throw new OverloadedException(limit);
      }
      queue.addLast(job);
      notifyAll();
    }
    return job;
  }

  /**
   * The next waiting job if it fits in {@code freeRows} (any job fits an empty batch), taken from
   * the source that was not served last when both wait; null when none fits.
   */
  synchronized Job<?> next(int freeRows, boolean batchEmpty) {
    Source first = admittedLast == Source.HTTP ? Source.KAFKA : Source.HTTP;
    for (Source s : new Source[] {first, first == Source.HTTP ? Source.KAFKA : Source.HTTP}) {
      Job<?> head = waiting.get(s).peekFirst();
      if (head == null) {
        continue;
      }
      if (!batchEmpty && head.task().n() > freeRows) {
        // The head waits for room rather than letting smaller work behind it pass forever.
        return null;
      }
      admittedLast = s;
      // Counted in the batch at once, so that a request arriving during its prefill sees it.
      loop.reserve(head.task().n());
      return waiting.get(s).pollFirst();
    }
    return null;
  }

  /** Blocks the decoding thread until work waits or {@code millis} passed. */
  synchronized void awaitWork(long millis) throws InterruptedException {
    if (waitingCount() == 0) {
      wait(millis);
    }
  }

  /**
   * Rows the batch has left once the waiting work that fits is admitted: work that the batch takes
   * in at its next step does not count as waiting.
   */
  private int roomAfter() {
    int free = loop.freeRows();
    for (Deque<Job<?>> q : waiting.values()) {
      for (Job<?> j : q) {
        if (j.task().n() <= free) {
          free -= j.task().n();
        }
      }
    }
    return free;
  }

  /** Waiting jobs of {@code source} that the batch cannot take in at its next step. */
  private int beyondTheBatch(Source source) {
    int free = loop.freeRows();
    int beyond = 0;
    for (Map.Entry<Source, Deque<Job<?>>> e : waiting.entrySet()) {
      for (Job<?> j : e.getValue()) {
        if (j.task().n() <= free) {
          free -= j.task().n();
        } else if (e.getKey() == source) {
          beyond++;
        }
      }
    }
    return beyond;
  }

  synchronized int waitingCount() {
    return waiting.values().stream().mapToInt(Deque::size).sum();
  }

  /** Takes {@code job} out of its queue; false when the loop has it already. */
  private synchronized boolean withdraw(Job<?> job) {
    return waiting.values().stream().anyMatch(q -> q.remove(job));
  }

  /** Generations being decoded now. */
  public int active() {
    return loop.activeRequests();
  }

  @PreDestroy
  public void stop() {
    loop.stop();
    synchronized (this) {
      waiting.values().forEach(q -> q.forEach(j -> j.fail(new CancellationException("shut down"))));
      waiting.values().forEach(Deque::clear);
    }
  }

  /** Queued or running work, with its result once the decoding loop finished it. */
  public static final class Job<T> {

    private final GenerationQueue queue;
    private final Task task;
    private final Finisher<T> finisher;
    private final Runnable always;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean cancelled;

    private Job(GenerationQueue queue, Task task, Finisher<T> finisher, Runnable always) {
      this.queue = queue;
      this.task = task;
      this.finisher = finisher;
      this.always = always;
    }

    Task task() {
      return task;
    }

    boolean isCancelled() {
      return cancelled;
    }

    /** Stops the work between two decoding steps, or before it starts. */
    public void cancel() {
      if (!cancelled && !future.isDone()) {
        queue.cancelled.increment();
      }
      cancelled = true;
      if (queue.withdraw(this)) {
        fail(new CancellationException("cancelled before it started"));
      }
      queue.loop.wake();
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

    void succeed(List<Completion> completions, long decodingNanos) {
      T result;
      try {
        result = finisher.finish(completions, decodingNanos);
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      end();
      future.complete(result);
    }

    void fail(RuntimeException e) {
      end();
      future.completeExceptionally(e);
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        always.run();
      }
    }
  }
}
