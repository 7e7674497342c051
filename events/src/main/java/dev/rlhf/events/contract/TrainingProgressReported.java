package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trainer finished a step: metrics such as loss, held-out accuracy, reward or KL, and a few
 * sample completions to read.
 */
public record TrainingProgressReported(
    UUID eventId,
    Instant occurredAt,
    UUID runId,
    UUID cycleId,
    TrainingStage stage,
    long step,
    long totalSteps,
    Map<String, Double> metrics,
    List<String> samples)
    implements PlatformEvent {

  public TrainingProgressReported {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(runId, "runId");
    Require.present(stage, "stage");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    samples = samples == null ? List.of() : List.copyOf(samples);
  }

  @Override
  public Topic topic() {
    return Topic.TRAINING_PROGRESS;
  }

  @Override
  public String key() {
    return runId.toString();
  }
}
