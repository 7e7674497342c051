package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/** A researcher cancelled a training run; the trainer stops it and publishes nothing. */
public record TrainingRunCancelled(UUID eventId, Instant occurredAt, UUID runId, String reason)
    implements PlatformEvent {

  public TrainingRunCancelled {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(runId, "runId");
  }

  @Override
  public Topic topic() {
    return Topic.TRAINING_COMMANDS;
  }

  @Override
  public String key() {
    return runId.toString();
  }
}
