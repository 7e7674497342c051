package dev.rlhf.labeling.workers;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import dev.rlhf.labeling.cycles.RunState;
import dev.rlhf.labeling.cycles.TrainingRun;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the last heartbeat of every worker, and when each requested training run was last named by
 * its trainer. Applying a heartbeat twice changes nothing (the newest sighting wins), so this
 * consumer needs no processed-event record.
 */
@ApplicationScoped
public class WorkerRegistry {

  /** A worker silent for longer than this is shown offline. */
  public static final Duration OFFLINE_AFTER = Duration.ofSeconds(20);

  private final KafkaSettings kafka;
  private EventConsumerLoop loop;

  WorkerRegistry(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  void start(@Observes StartupEvent event, WorkerRegistry self) {
    loop =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-workers",
                List.of(Topic.WORKERS),
                self::apply)
            .start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
  }

  @Transactional
  void apply(PlatformEvent event) {
    if (!(event instanceof WorkerHeartbeatReported beat)) return;
    WorkerStatus status = WorkerStatus.findById(beat.workerId());
    boolean isNew = status == null;
    if (isNew) {
      status = new WorkerStatus();
      status.workerId = beat.workerId();
    } else if (status.lastSeenAt.isAfter(beat.occurredAt())) {
      return;
    }
    status.service = beat.service();
    status.device = beat.device();
    status.startedAt = beat.startedAt();
    status.lastSeenAt = beat.occurredAt();
    if (isNew) status.persist();
    if (!beat.runs().isEmpty()) {
      // Feeds the stale-run watchdog (cycles.StaleRunWatchdog): these runs are still held.
      TrainingRun.update(
          "lastSeenAt = ?1, workerId = ?2 where id in ?3 and state = ?4"
              + " and (lastSeenAt is null or lastSeenAt < ?1)",
          beat.occurredAt(),
          beat.workerId(),
          beat.runs(),
          RunState.REQUESTED);
    }
  }

  /** Every worker ever seen, most recently seen first. */
  public List<WorkerStatus> all() {
    return WorkerStatus.list("order by lastSeenAt desc");
  }

  /** Workers seen recently, by service. */
  public List<WorkerStatus> online() {
    return WorkerStatus.list(
        "lastSeenAt > ?1 order by service, lastSeenAt desc", Instant.now().minus(OFFLINE_AFTER));
  }
}
