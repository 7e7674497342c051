package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.kafka.Outages;
import dev.rlhf.labeling.outbox.Outbox;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Fails requested runs that no trainer holds any more: the trainers name every run they hold in
 * their heartbeats, so a run nobody has named for {@link CycleSettings#staleRunAfter} belongs to a
 * trainer that died for good, or was never taken. Its cycle fails saying so, and a researcher can
 * retry it; the trainers are told to cancel the run, should its trainer come back.
 */
@ApplicationScoped
public class StaleRunWatchdog {

  private final StageChaining chaining;
  private final Outbox outbox;
  private final Duration staleAfter;

  StaleRunWatchdog(StageChaining chaining, Outbox outbox, CycleSettings settings) {
    this.chaining = chaining;
    this.outbox = outbox;
    this.staleAfter = settings.staleRunAfter();
  }

  @Scheduled(
      every = "${rlhf.cycles.watchdog-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void sweep() {
    try {
      failStale(Instant.now());
    } catch (RuntimeException e) {
      // The database being away is reported by the requests; the next sweep tries again.
      if (!Outages.isOutage(e)) Log.warn("stale-run sweep failed", e);
    }
  }

  /** Fails every run that was stale at {@code now}; returns their ids. */
  @Transactional
  public List<UUID> failStale(Instant now) {
    Instant cutoff = now.minus(staleAfter);
    List<TrainingRun> stale =
        TrainingRun.list(
            "state = ?1 and coalesce(lastSeenAt, requestedAt) < ?2", RunState.REQUESTED, cutoff);
    for (TrainingRun run : stale) {
      String reason = reason(run);
      Log.warnf("failing stale %s run %s: %s", run.stage, run.id, reason);
      chaining.failed(run, reason);
      outbox.record(new TrainingRunCancelled(UUID.randomUUID(), now, run.id, reason));
    }
    return stale.stream().map(r -> r.id).toList();
  }

  private String reason(TrainingRun run) {
    String after = staleAfter.toSeconds() + " s";
    if (run.lastSeenAt == null) {
      return "no trainer took the run within " + after + " of its request at " + run.requestedAt;
    }
    return "its trainer "
        + run.workerId
        + " stopped reporting it; last seen at "
        + run.lastSeenAt
        + ", more than "
        + after
        + " ago";
  }
}
