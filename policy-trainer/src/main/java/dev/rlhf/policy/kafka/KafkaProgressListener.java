package dev.rlhf.policy.kafka;

import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Publishes a run's progress as {@link TrainingProgressReported} events keyed by run. */
final class KafkaProgressListener implements ProgressListener {

  private final EventPublisher publisher;
  private final RunRequest request;
  private final BooleanSupplier cancelled;

  KafkaProgressListener(EventPublisher publisher, RunRequest request, BooleanSupplier cancelled) {
    this.publisher = publisher;
    this.request = request;
    this.cancelled = cancelled;
  }

  @Override
  public void onProgress(long step, long total, Map<String, Double> metrics, List<String> samples) {
    // Progress is informative: sent without waiting, so a slow broker never stalls training.
    publisher.publish(
        new TrainingProgressReported(
            UUID.randomUUID(),
            Instant.now(),
            request.runId(),
            request.cycleId(),
            request.stage(),
            step,
            total,
            finite(metrics),
            samples));
  }

  /** JSON has no NaN or infinity. */
  private static Map<String, Double> finite(Map<String, Double> metrics) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    metrics.forEach(
        (k, v) -> {
          if (v != null && Double.isFinite(v)) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Override
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }
}
