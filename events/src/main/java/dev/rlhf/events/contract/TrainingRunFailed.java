package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/** A training run stopped without publishing a version; {@code reason} says why. */
public record TrainingRunFailed(
    UUID eventId, Instant occurredAt, UUID runId, UUID cycleId, TrainingStage stage, String reason)
    implements PlatformEvent {

  public TrainingRunFailed {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(runId, "runId");
    Require.text(reason, "reason");
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
