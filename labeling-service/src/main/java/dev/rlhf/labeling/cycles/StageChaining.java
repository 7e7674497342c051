package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Moves a cycle from stage to stage: requests a run, and when its version is published requests the
 * next one with that version (SFT's policy becomes the base of REWARD and PPO; REWARD's model
 * becomes PPO's reward version).
 */
@ApplicationScoped
public class StageChaining {

  private final Outbox outbox;
  private final LabelSnapshot snapshot;

  StageChaining(Outbox outbox, LabelSnapshot snapshot) {
    this.outbox = outbox;
    this.snapshot = snapshot;
  }

  /** Publishes the run's command (through the outbox) with the cycle's frozen labels. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void request(TrainingRun run, String baseVersion, String rewardVersion) {
    Instant now = Instant.now();
    run.baseVersion = baseVersion;
    run.rewardVersion = rewardVersion;
    run.state = RunState.REQUESTED;
    run.requestedAt = now;
    outbox.record(
        new TrainingRunRequested(
            UUID.randomUUID(),
            now,
            run.id,
            run.cycleId,
            run.stage,
            baseVersion,
            rewardVersion,
            run.hyperParameters,
            snapshot.eventIdsFor(run.cycleId, run.stage)));
  }

  /**
   * A run's version arrived: the run succeeded and the next stage starts, or the cycle is done. A
   * version for a run that is no longer requested (cancelled, already answered) changes nothing.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void published(TrainingRun run, ModelVersionPublished event) {
    if (run.state != RunState.REQUESTED) return;
    Instant now = Instant.now();
    run.state = RunState.SUCCEEDED;
    run.producedVersion = event.version();
    run.finishedAt = now;
    TrainingCycle cycle = TrainingCycle.findById(run.cycleId);
    TrainingRun next =
        TrainingRun.find("cycleId = ?1 and position = ?2", run.cycleId, run.position + 1)
            .firstResult();
    if (next == null) {
      cycle.state = CycleState.SUCCEEDED;
      cycle.finishedAt = now;
      return;
    }
    String base = run.stage == TrainingStage.SFT ? event.version() : run.baseVersion;
    String reward = run.stage == TrainingStage.REWARD ? event.version() : run.rewardVersion;
    request(next, base, reward);
  }

  /** A run failed: the cycle fails with the trainer's reason and its later stages never run. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void failed(TrainingRun run, TrainingRunFailed event) {
    if (run.state != RunState.REQUESTED) return;
    Instant now = Instant.now();
    run.state = RunState.FAILED;
    run.failureReason = event.reason();
    run.finishedAt = now;
    TrainingCycle cycle = TrainingCycle.findById(run.cycleId);
    cycle.state = CycleState.FAILED;
    cycle.failureReason = run.stage + " failed: " + event.reason();
    cycle.finishedAt = now;
    TrainingRun.update(
        "state = ?1, finishedAt = ?2 where cycleId = ?3 and state = ?4",
        RunState.CANCELLED,
        now,
        run.cycleId,
        RunState.WAITING);
  }
}
