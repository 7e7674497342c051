package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker process (a trainer or the runtime) is alive; {@code device} says where it computes
 * ("cpu" or "gpu:0"), so operators see at a glance whether a GPU was found.
 *
 * @param runs the training runs this worker holds: queued, waiting for their labels, or training
 *     (empty for the runtime, and from workers older than this field). A requested run no worker
 *     names for a while is failed as stale.
 */
public record WorkerHeartbeatReported(
    UUID eventId,
    Instant occurredAt,
    String workerId,
    String service,
    String device,
    Instant startedAt,
    List<UUID> runs)
    implements PlatformEvent {

  /** A worker that holds no runs. */
  public WorkerHeartbeatReported(
      UUID eventId,
      Instant occurredAt,
      String workerId,
      String service,
      String device,
      Instant startedAt) {
    this(eventId, occurredAt, workerId, service, device, startedAt, List.of());
  }

  public WorkerHeartbeatReported {
    runs = runs == null ? List.of() : List.copyOf(runs);
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
