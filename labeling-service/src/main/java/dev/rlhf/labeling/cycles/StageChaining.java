package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.quality.consensus.ConsensusSnapshot;
import dev.rlhf.labeling.registry.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Moves a cycle from stage to stage: requests a run, and when its version is published requests the
 * next one with that version (SFT's policy becomes the base of REWARD, PPO and DPO; REWARD's model
 * becomes PPO's reward version). DPO starts from the cycle's SFT version, never from PPO's policy.
 */
@ApplicationScoped
public class StageChaining {

  private final Outbox outbox;
  private final LabelSnapshot snapshot;
  private final RewardGate gate;
  private final ConsensusSnapshot consensus;

  StageChaining(
      Outbox outbox, LabelSnapshot snapshot, RewardGate gate, ConsensusSnapshot consensus) {
    this.outbox = outbox;
    this.snapshot = snapshot;
    this.gate = gate;
    this.consensus = consensus;
  }

  /** Held-out prompts a policy stage's version is evaluated on, at most. */
  static final int EVALUATION_PROMPTS = 100;

  /**
   * Publishes the run's command (through the outbox) with the cycle's frozen labels, and for a
   * policy stage what to evaluate its version on. A snapshot over one record's size travels in
   * parts before the command (see {@link TrainingSnapshotPart}).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void request(TrainingRun run, String baseVersion, String rewardVersion) {
    Instant now = Instant.now();
    TrainingCycle cycle = TrainingCycle.findById(run.cycleId);
    boolean policy = run.stage != TrainingStage.REWARD;
    boolean learnsFromPairs = run.stage == TrainingStage.REWARD || run.stage == TrainingStage.DPO;
    run.baseVersion = baseVersion;
    run.rewardVersion = rewardVersion;
    run.state = RunState.REQUESTED;
    run.requestedAt = now;
    TrainingRunRequested command =
        new TrainingRunRequested(
            UUID.randomUUID(),
            now,
            run.id,
            run.cycleId,
            run.stage,
            baseVersion,
            rewardVersion,
            run.hyperParameters,
            snapshot.eventIdsFor(run.cycleId, run.stage),
            policy ? evaluationPrompts(cycle.projectId) : List.of(),
            policy ? evaluationJudge(run.stage, rewardVersion, cycle.projectId) : null,
            learnsFromPairs ? consensus.pairsFor(run.cycleId) : List.of());
    // A snapshot too large for one Kafka record goes first, in parts, on the command's key.
    for (PlatformEvent record : TrainingSnapshotPart.split(command)) outbox.record(record);
  }

  /** The project's held-out prompts, oldest first; none without a project. */
  private static List<List<ChatTurn>> evaluationPrompts(UUID projectId) {
    if (projectId == null) return List.of();
    return Prompt.<Prompt>find(
            "projectId = ?1 and heldOut = true order by createdAt, id", projectId)
        .range(0, EVALUATION_PROMPTS - 1)
        .list()
        .stream()
        .map(p -> p.conversation)
        .toList();
  }

  /**
   * Whose check model judges the evaluation: PPO's own reward model; for SFT and DPO the newest
   * reward model trained on this project's labels whose check model the gate trusts, if any (a
   * REWARD stage earlier in the cycle counts: its version is published before DPO is requested;
   * without one, SFT is judged by its loss on held-out demonstrations, and a DPO version's
   * evaluation does not pass, so promoting it needs a reason).
   */
  private String evaluationJudge(TrainingStage stage, String rewardVersion, UUID projectId) {
    if (stage == TrainingStage.PPO) return rewardVersion;
    if (projectId == null) return null;
    return ModelVersion.<ModelVersion>find(
            "kind = ?1 and cycleId in (select c.id from TrainingCycle c where c.projectId = ?2)"
                + " order by publishedAt desc",
            ModelVersionPublished.Kind.REWARD,
            projectId)
        .stream()
        .filter(v -> gate.untrustedJudge(v.version, v.metrics) == null)
        .findFirst()
        .map(v -> v.version)
        .orElse(null);
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
    String refusal =
        next.stage == TrainingStage.PPO && run.stage == TrainingStage.REWARD
            ? gate.refusal(reward, event.metrics())
            : null;
    if (refusal != null && cycle.rewardGateOverride == null) {
      cycle.state = CycleState.FAILED;
      cycle.failureReason =
          refusal
              + ": PPO was not started. Collect more informative rankings, or start a PPO cycle"
              + " with this reward model and a rewardGateOverride reason to use it anyway";
      cycle.finishedAt = now;
      TrainingRun.update(
          "state = ?1, finishedAt = ?2 where cycleId = ?3 and state = ?4",
          RunState.CANCELLED,
          now,
          run.cycleId,
          RunState.WAITING);
      return;
    }
    request(next, base, reward);
  }

  /**
   * A run failed (its trainer said so, or it went stale): the cycle fails with the reason and its
   * later stages never run.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void failed(TrainingRun run, String reason) {
    if (run.state != RunState.REQUESTED) return;
    Instant now = Instant.now();
    run.state = RunState.FAILED;
    run.failureReason = reason;
    run.finishedAt = now;
    TrainingCycle cycle = TrainingCycle.findById(run.cycleId);
    cycle.state = CycleState.FAILED;
    cycle.failureReason = run.stage + " failed: " + reason;
    cycle.finishedAt = now;
    TrainingRun.update(
        "state = ?1, finishedAt = ?2 where cycleId = ?3 and state = ?4",
        RunState.CANCELLED,
        now,
        run.cycleId,
        RunState.WAITING);
  }
}
