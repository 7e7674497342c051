package dev.rlhf.runtime.service;

import dev.rlhf.lm.GradMode;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.DecodingBatch;
import io.micrometer.core.instrument.DistributionSummary;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The one thread that decodes: it holds a {@link DecodingBatch} per network being served, admits
 * waiting jobs between two steps while the batch has room ({@code maxRows} sequences over all
 * networks; a job of more rows than that still runs alone), steps every batch once a round, and
 * hands each job its completions as soon as its last row ends. A cancelled job leaves before the
 * next step.
 */
final class DecodingLoop {

  private static final long IDLE_WAIT_MILLIS = 200;

  private final GenerationQueue queue;
  private final int maxRows;
  private final DistributionSummary rowsPerStep;
  private final Thread thread;
  private final Map<LanguageModel, DecodingBatch> batches = new IdentityHashMap<>();
  private final List<Running> running = new ArrayList<>();
  private volatile int activeRows;
  private volatile int activeRequests;
  private volatile boolean stopped;

  private record Running(
      GenerationQueue.Job<?> job, DecodingBatch batch, DecodingBatch.Request request, long start) {}

  DecodingLoop(GenerationQueue queue, int maxRows, DistributionSummary rowsPerStep) {
    this.queue = queue;
    this.maxRows = maxRows;
    this.rowsPerStep = rowsPerStep;
    this.thread = new Thread(this::run, "generation-batch");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int activeRows() {
    return activeRows;
  }

  int activeRequests() {
    return activeRequests;
  }

  /** Rows the batch could still take in (an estimate between two steps). */
  int freeRows() {
    return maxRows - activeRows;
  }

  /** Counts {@code rows} being admitted as active until the next count. */
  void reserve(int rows) {
    activeRows += rows;
  }

  /** Wakes the loop up early (a cancel while it waits for work). */
  void wake() {
    synchronized (queue) {
      queue.notifyAll();
    }
  }

  void stop() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    // PyTorch's grad mode is per thread and on in a new one: this thread never builds a graph.
    try (GradMode.Scope noGraph = GradMode.off()) {
      while (!stopped) {
        admit();
        dropCancelled();
        if (running.isEmpty()) {
          queue.awaitWork(IDLE_WAIT_MILLIS);
          continue;
        }
        stepAll();
        finishDone();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Running r : running) {
        r.job().fail(new CancellationException("the runtime is shutting down"));
      }
      running.clear();
      batches.values().forEach(DecodingBatch::close);
      batches.clear();
    }
  }

  private void admit() {
    while (true) {
      int rows = rowsNow();
      activeRows = rows;
      GenerationQueue.Job<?> job = queue.next(maxRows - rows, rows == 0);
      if (job == null) {
        return;
      }
      if (job.isCancelled()) {
        job.fail(new CancellationException("cancelled before it started"));
        continue;
      }
      GenerationQueue.Task task = job.task();
      DecodingBatch batch = batches.computeIfAbsent(task.network(), DecodingBatch::new);
      long start = System.nanoTime();
      try {
        DecodingBatch.Request request =
            batch.admit(task.prompt(), task.n(), task.params(), task.listener());
        running.add(new Running(job, batch, request, start));
      } catch (RuntimeException e) {
        Log.warnf(e, "a generation failed before its first step");
        job.fail(e);
      }
      finishDone();
    }
  }

  private void dropCancelled() {
    for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
      Running r = it.next();
      if (r.job().isCancelled()) {
        r.batch().remove(r.request());
        r.job().fail(new CancellationException("cancelled between two steps"));
        it.remove();
      }
    }
    closeEmptyBatches();
  }

  private void stepAll() {
    int rows = rowsNow();
    rowsPerStep.record(rows);
    activeRows = rows;
    for (DecodingBatch batch : List.copyOf(batches.values())) {
      try {
        batch.step();
      } catch (RuntimeException e) {
        Log.errorf(e, "a decoding step failed; its %d sequences fail", batch.rows());
        for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
          Running r = it.next();
          if (r.batch() == batch) {
            r.job().fail(e);
            it.remove();
          }
        }
        batch.close();
        batches.remove(batch.network());
      }
    }
  }

  private void finishDone() {
    for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
      Running r = it.next();
      if (r.request().isFinished()) {
        it.remove();
        r.job().succeed(r.request().completions(), System.nanoTime() - r.start());
      }
    }
    closeEmptyBatches();
  }

  private void closeEmptyBatches() {
    batches
        .values()
        .removeIf(
            b -> {
              boolean empty = running.stream().noneMatch(r -> r.batch() == b);
              if (empty) {
                b.close();
              }
              return empty;
            });
    activeRows = rowsNow();
    activeRequests = running.size();
  }

  private int rowsNow() {
    return batches.values().stream().mapToInt(DecodingBatch::rows).sum();
  }
}
