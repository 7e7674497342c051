package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.UUID;

/**
 * A worker process (a trainer or the runtime) is alive; {@code device} says where it computes
 * ("cpu" or "gpu:0"), so operators see at a glance whether a GPU was found.
 */
public record WorkerHeartbeatReported(
    UUID eventId,
    Instant occurredAt,
    String workerId,
    String service,
    String device,
    Instant startedAt)
    implements PlatformEvent {

  public WorkerHeartbeatReported {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.text(workerId, "workerId");
    Require.text(service, "service");
    Require.text(device, "device");
    Require.present(startedAt, "startedAt");
  }

  @Override
  public Topic topic() {
    return Topic.WORKERS;
  }

  @Override
  public String key() {
    return workerId;
  }
}
