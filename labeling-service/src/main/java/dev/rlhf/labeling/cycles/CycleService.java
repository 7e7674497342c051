package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.contract.VersionName;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.quality.consensus.ConsensusSnapshot;
import dev.rlhf.labeling.registry.LabelType;
import dev.rlhf.labeling.registry.ModelVersion;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Starts and cancels training cycles. */
@ApplicationScoped
public class CycleService {

  private static final int MAX_OVERRIDE_LENGTH = 2000;

  private final LabelSnapshot snapshot;
  private final StageChaining chaining;
  private final Outbox outbox;
  private final RewardGate gate;
  private final ConsensusSnapshot consensus;

  CycleService(
      LabelSnapshot snapshot,
      StageChaining chaining,
      Outbox outbox,
      RewardGate gate,
      ConsensusSnapshot consensus) {
    this.snapshot = snapshot;
    this.chaining = chaining;
    this.outbox = outbox;
    this.gate = gate;
    this.consensus = consensus;
  }

  /**
   * Validates the request, freezes the label snapshot, records the cycle and its stages, and
   * requests the first stage, all in one transaction: a refused request stores nothing.
   */
  @Transactional
  @TransactionConfiguration(timeoutFromConfigProperty = "rlhf.cycles.start-timeout-seconds")
  public TrainingCycle start(StartCycle input, String startedBy) {
    if (input == null) throw ApiProblem.invalid("stages", "a JSON body is required");
    List<TrainingStage> stages = stages(input.stages());
    String base = version("baseVersion", input.baseVersion());
    if (base == null) throw ApiProblem.invalid("baseVersion", "baseVersion is required");
    ModelVersion known = ModelVersion.findById(base);
    if (known != null && known.kind != ModelVersionPublished.Kind.POLICY) {
      throw ApiProblem.invalid("baseVersion", base + " is a reward model, not a policy");
    }
    String reward = rewardVersion(stages, version("rewardVersion", input.rewardVersion()));
    String gateOverride = gateOverride(input.rewardGateOverride());
    checkGate(reward, gateOverride);
    if (input.projectId() != null && Project.findById(input.projectId()) == null) {
      throw ApiProblem.invalid("projectId", "no project " + input.projectId());
    }
    Map<String, Map<String, String>> overrides =
        input.hyperParameters() == null ? Map.of() : input.hyperParameters();
    Set<TrainingStage> overridden = EnumSet.noneOf(TrainingStage.class);
    for (String stage : overrides.keySet()) {
      TrainingStage named = parseStage("hyperParameters", stage);
      if (!stages.contains(named)) {
        throw ApiProblem.invalid(
            "hyperParameters." + stage, "the cycle has no " + named + " stage");
      }
      if (!overridden.add(named)) {
        throw ApiProblem.invalid(
            "hyperParameters." + stage, named + "'s hyper-parameters are given twice");
      }
    }

    TrainingCycle cycle = new TrainingCycle();
    cycle.id = UUID.randomUUID();
    cycle.projectId = input.projectId();
    cycle.state = CycleState.RUNNING;
    cycle.baseVersion = base;
    cycle.rewardVersion = reward;
    cycle.createdBy = startedBy;
    cycle.rewardGateOverride = gateOverride;
    cycle.snapshotFilter = SnapshotFilter.normalised(input.snapshot());
    cycle.createdAt = Instant.now();
    cycle.persist();

    List<TrainingRun> runs = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      TrainingStage stage = stages.get(i);
      TrainingRun run = new TrainingRun();
      run.id = UUID.randomUUID();
      run.cycleId = cycle.id;
      run.position = i;
      run.stage = stage;
      run.state = RunState.WAITING;
      run.hyperParameters = HyperParameterOverrides.resolve(stage, overridesFor(overrides, stage));
      run.persist();
      runs.add(run);
    }
    TrainingCycle.getEntityManager().flush();

    Set<LabelType> needed = LabelSnapshot.neededBy(stages);
    LabelSnapshot.Counts counts =
        snapshot.freeze(cycle.id, cycle.projectId, needed, cycle.snapshotFilter);
    if (stages.contains(TrainingStage.SFT) && counts.demonstrations() == 0) {
      throw ApiProblem.invalid("stages", "SFT needs demonstrations and there are none yet");
    }
    for (TrainingStage stage : List.of(TrainingStage.REWARD, TrainingStage.DPO)) {
      if (stages.contains(stage) && counts.rankings() == 0) {
        throw ApiProblem.invalid("stages", stage + " needs rankings and there are none yet");
      }
    }
    if (input.consensus() != null && counts.rankings() > 0) {
      int pairs = consensus.freeze(cycle.id, cycle.projectId, input.consensus());
      counts = new LabelSnapshot.Counts(counts.demonstrations(), counts.rankings(), pairs);
    }
    if (stages.contains(TrainingStage.REWARD)) {
      String warning = gate.fewPairsWarning(counts.informativePairs());
      if (warning != null) cycle.warnings.add(warning);
    }
    TrainingRun ppo =
        runs.stream().filter(r -> r.stage == TrainingStage.PPO).findFirst().orElse(null);
    if (ppo != null
        && counts.demonstrations() == 0
        && !Boolean.parseBoolean(ppo.hyperParameters.get("demoWorldPrompts"))) {
      // The policy trainer samples PPO's prompts from the snapshot's demonstrations.
      throw ApiProblem.invalid(
          "stages",
          "PPO samples its prompts from demonstrations and there are none yet;"
              + " set PPO's demoWorldPrompts to true to use the built-in demo prompts");
    }
    chaining.request(runs.get(0), base, reward);
    return cycle;
  }

  /** Stops a running cycle: the requested run is told to stop, the waiting ones never start. */
  @Transactional
  public TrainingCycle cancel(UUID cycleId, String cancelledBy) {
    TrainingCycle cycle = find(cycleId);
    if (cycle.state != CycleState.RUNNING) {
      throw ApiProblem.conflict("state", "the cycle is already " + cycle.state);
    }
    Instant now = Instant.now();
    for (TrainingRun run : TrainingRun.ofCycle(cycleId)) {
      if (run.state == RunState.REQUESTED) {
        outbox.record(
            new TrainingRunCancelled(
                UUID.randomUUID(), now, run.id, "cancelled by " + cancelledBy));
      }
      if (run.state == RunState.REQUESTED || run.state == RunState.WAITING) {
        run.state = RunState.CANCELLED;
        run.finishedAt = now;
      }
    }
    cycle.state = CycleState.CANCELLED;
    cycle.failureReason = "cancelled by " + cancelledBy;
    cycle.finishedAt = now;
    return cycle;
  }

  /**
   * Starts a failed or cancelled cycle again from the stage that did not finish, as a new cycle on
   * the same frozen labels: the stage's base and reward versions and every stage's hyper-parameters
   * are those of the old cycle. The old cycle keeps its history.
   */
  @Transactional
  public TrainingCycle retry(UUID cycleId, String retriedBy) {
    TrainingCycle old = find(cycleId);
    if (old.state != CycleState.FAILED && old.state != CycleState.CANCELLED) {
      throw ApiProblem.conflict(
          "state", "only a failed or cancelled cycle can be retried; this one is " + old.state);
    }
    List<TrainingRun> unfinished =
        TrainingRun.ofCycle(cycleId).stream().filter(r -> r.state != RunState.SUCCEEDED).toList();
    TrainingRun from = unfinished.get(0);
    boolean ownReward = unfinished.stream().anyMatch(r -> r.stage == TrainingStage.REWARD);

    TrainingCycle cycle = new TrainingCycle();
    cycle.id = UUID.randomUUID();
    cycle.projectId = old.projectId;
    cycle.state = CycleState.RUNNING;
    cycle.baseVersion = from.baseVersion;
    cycle.rewardVersion = ownReward ? null : from.rewardVersion;
    cycle.rewardGateOverride = old.rewardGateOverride;
    checkGate(cycle.rewardVersion, cycle.rewardGateOverride);
    cycle.createdBy = retriedBy;
    cycle.createdAt = Instant.now();
    cycle.retryOf = old.id;
    cycle.snapshotFilter = old.snapshotFilter;
    cycle.warnings = new ArrayList<>(old.warnings);
    cycle.persist();
    List<TrainingRun> runs = new ArrayList<>();
    for (TrainingRun stage : unfinished) {
      TrainingRun run = new TrainingRun();
      run.id = UUID.randomUUID();
      run.cycleId = cycle.id;
      run.position = runs.size();
      run.stage = stage.stage;
      run.state = RunState.WAITING;
      run.hyperParameters = stage.hyperParameters;
      run.persist();
      runs.add(run);
    }
    TrainingCycle.getEntityManager().flush();
    snapshot.copy(old.id, cycle.id);
    consensus.copy(old.id, cycle.id);
    chaining.request(runs.get(0), cycle.baseVersion, cycle.rewardVersion);
    return cycle;
  }

  /** Refuses a reward model below the gate unless a reason to use it anyway is given. */
  private void checkGate(String reward, String gateOverride) {
    if (reward == null || gateOverride != null) return;
    ModelVersion rewardModel = ModelVersion.findById(reward);
    String refusal = rewardModel == null ? null : gate.refusal(reward, rewardModel.metrics);
    if (refusal != null) {
      throw ApiProblem.invalid(
          "rewardVersion", refusal + "; give rewardGateOverride with a reason to use it anyway");
    }
  }

  public TrainingCycle find(UUID cycleId) {
    TrainingCycle cycle = cycleId == null ? null : TrainingCycle.findById(cycleId);
    if (cycle == null) throw ApiProblem.notFound("cycle " + cycleId);
    return cycle;
  }

  private static List<TrainingStage> stages(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw ApiProblem.invalid("stages", "name one or more of SFT, REWARD, PPO, DPO");
    }
    List<TrainingStage> stages = new ArrayList<>();
    for (String name : names) {
      TrainingStage stage = parseStage("stages", name);
      if (!stages.isEmpty() && stages.get(stages.size() - 1).compareTo(stage) >= 0) {
        throw ApiProblem.invalid(
            "stages", "stages run once each, in the order SFT, REWARD, PPO, DPO");
      }
      stages.add(stage);
    }
    return stages;
  }

  private static String gateOverride(String reason) {
    if (reason == null || reason.isBlank()) return null;
    if (reason.length() > MAX_OVERRIDE_LENGTH) {
      throw ApiProblem.invalid(
          "rewardGateOverride", "the reason is longer than " + MAX_OVERRIDE_LENGTH + " characters");
    }
    return reason.strip();
  }

  private static String rewardVersion(List<TrainingStage> stages, String given) {
    boolean ownReward = stages.contains(TrainingStage.REWARD);
    if (!stages.contains(TrainingStage.PPO)) {
      if (given != null)
        throw ApiProblem.invalid("rewardVersion", "only PPO uses a reward version");
      return null;
    }
    if (ownReward) {
      if (given != null) {
        throw ApiProblem.invalid(
            "rewardVersion", "PPO uses the reward model this cycle's REWARD stage trains");
      }
      return null;
    }
    if (given == null) {
      throw ApiProblem.invalid(
          "rewardVersion", "PPO needs a reward version: give one or add a REWARD stage");
    }
    ModelVersion reward = ModelVersion.findById(given);
    if (reward == null || reward.kind != ModelVersionPublished.Kind.REWARD) {
      throw ApiProblem.invalid("rewardVersion", "no reward version " + given + " in the registry");
    }
    return given;
  }

  private static TrainingStage parseStage(String field, String name) {
    String normal = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (normal.equals("RM")) return TrainingStage.REWARD;
    try {
      return TrainingStage.valueOf(normal);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(
          field, "unknown stage '" + name + "'; stages are SFT, REWARD, PPO, DPO");
    }
  }

  private static Map<String, String> overridesFor(
      Map<String, Map<String, String>> overrides, TrainingStage stage) {
    for (var e : overrides.entrySet()) {
      if (parseStage("hyperParameters", e.getKey()) == stage) return e.getValue();
    }
    return Map.of();
  }

  /** A version is named, never given by path: trainers find it under their checkpoints root. */
  private static String version(String field, String value) {
    if (value == null || value.isBlank()) return null;
    String trimmed = value.trim();
    if (!VersionName.isValid(trimmed)) {
      throw ApiProblem.invalid(field, field + " must be " + VersionName.RULE);
    }
    return trimmed;
  }
}
