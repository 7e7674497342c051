package dev.rlhf.policy.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.dpo.DpoTrainer;
import dev.rlhf.policy.ppo.PpoState;
import dev.rlhf.policy.ppo.PpoTrainer;
import dev.rlhf.policy.ppo.RewardFunction;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.sft.SftDataset;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftTrainer;
import dev.rlhf.training.preferences.PreferenceDataset;
import dev.rlhf.training.preferences.PromptComparisons;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out one run end to end: resolves the snapshot and the starting checkpoint, trains
 * (resuming from the run's work directory when it holds a checkpoint), and publishes the checkpoint
 * under the run's version name. The engine is seeded from the run's configuration, so new heads
 * start alike in every run of the same configuration.
 */
public final class PolicyRun {

  private final CheckpointDirectory checkpoints;
  private final PolicyLabels store;
  private final RewardSource rewards;
  private final ProgressListener listener;
  private final List<Device> devices;

  /** A run on the preferred device. */
  public PolicyRun(
      CheckpointDirectory checkpoints,
      PolicyLabels store,
      RewardSource rewards,
      ProgressListener listener) {
    this(checkpoints, store, rewards, listener, List.of(Devices.preferred()));
  }

  /**
   * @param devices what the run trains on, data-parallel ({@link Devices#forTraining}); the first
   *     also samples, scores and evaluates
   */
  public PolicyRun(
      CheckpointDirectory checkpoints,
      PolicyLabels store,
      RewardSource rewards,
      ProgressListener listener,
      List<Device> devices) {
    this.checkpoints = checkpoints;
    this.store = store;
    this.rewards = rewards;
    this.listener = listener;
    this.devices = List.copyOf(devices);
  }

  public RunOutcome execute(RunRequest request) {
    Device device = devices.get(0);
    return switch (request.stage()) {
      case SFT -> sft(request, device);
      case PPO -> ppo(request, device);
      case DPO -> dpo(request, device);
      case REWARD -> throw new IllegalArgumentException("reward models are reward-trainer's");
    };
  }

  private RunOutcome sft(RunRequest request, Device device) {
    if (request.labelEventIds().isEmpty()) {
      throw new IllegalArgumentException("an SFT run needs a snapshot of demonstrations");
    }
    List<DemonstrationSubmitted> demonstrations =
        store.demonstrations().snapshot(request.labelEventIds());
    Path base = checkpoints.resolve(request.baseVersion());
    String parent = Checkpoints.readMetadata(base).version();
    PolicyTrainingConfig config = request.config();
    Map<String, Object> lineage = lineage(request);
    RunCheckpoint<LoopState> checkpoint =
        checkpoint(
            request, SftTrainer.STATE_FILE, LoopState.class, CheckpointKind.SFT, parent, lineage);
    boolean resume = checkpoint.exists();
    Engine.getInstance().setRandomSeed((int) config.sft().seed());
    try (LanguageModel network =
        resume ? checkpoint.network(device) : Checkpoints.load(base, device)) {
      SftDataset data =
          SftDataset.split(
              demonstrations,
              network.chatTemplate(),
              network.config().blockSize(),
              config.sft().validationFraction());
      SftTrainer.Result result =
          new SftTrainer(config.sft(), listener, devices)
              .train(network, data, resume ? checkpoint.state() : LoopState.START, checkpoint);
      lineage.put("demonstrations", demonstrations.size());
      lineage.put("trainExamples", data.train().size());
      lineage.put("validationExamples", data.validation().size());
      lineage.put("trainedTokens", SftExample.trainedTokens(data.train()));
      PolicyEvaluation evaluation;
      try (LanguageModel baseNetwork = Checkpoints.load(base, device)) {
        evaluation =
            new RunEvaluation(request)
                .byProjectJudge(
                    rewards,
                    device,
                    network,
                    baseNetwork,
                    parent,
                    SnapshotPrompts.heldOutDemonstrations(request, demonstrations),
                    RunEvaluation.lossVerdict(
                        "the loss on held-out demonstrations",
                        result.metrics().get("initial_val_loss"),
                        result.metrics().get(TrainingMetrics.VAL_LOSS)),
                    false);
      }
      return publish(
          request,
          network,
          CheckpointKind.SFT,
          parent,
          lineage,
          result.metrics(),
          result.keptStep(),
          List.of(),
          evaluation);
    }
  }

  private RunOutcome ppo(RunRequest request, Device device) {
    Path sft = checkpoints.resolve(request.baseVersion());
    String parent = Checkpoints.readMetadata(sft).version();
    PolicyTrainingConfig config = request.config();
    Map<String, Object> lineage = lineage(request);
    lineage.put("rewardVersion", String.valueOf(request.rewardVersion()));
    RunCheckpoint<PpoState> checkpoint =
        checkpoint(request, PpoState.FILE, PpoState.class, CheckpointKind.POLICY, parent, lineage);
    boolean resume = checkpoint.exists();
    Engine.getInstance().setRandomSeed((int) config.ppo().seed());
    try (RewardFunction reward = rewards.open(request.rewardVersion(), device);
        RewardFunction check = rewards.openCheck(request.rewardVersion(), device);
        LanguageModel reference = Checkpoints.load(sft, device);
        LanguageModel policy =
            resume ? checkpoint.network(device) : Checkpoints.load(sft, device)) {
      PpoState state = resume ? checkpoint.state() : PpoState.start(config.ppo().initKlCoef());
      List<String> warnings = new ArrayList<>();
      List<SftExample> demonstrations =
          ptxDemonstrations(request, policy, "PPO", config.ppo().ptxCoef(), warnings);
      PpoTrainer.Result result =
          new PpoTrainer(
                  config.ppo(),
                  reward,
                  check,
                  SnapshotPrompts.forPpo(request, store),
                  listener,
                  demonstrations,
                  devices)
              .train(policy, reference, state, checkpoint);
      PolicyEvaluation evaluation =
          new RunEvaluation(request)
              .evaluate(
                  policy,
                  reference,
                  parent,
                  SnapshotPrompts.heldOutDemonstrations(
                      request, store.demonstrations().storedOf(request.labelEventIds())),
                  check,
                  request.rewardVersion() + " (its check model)",
                  null,
                  true);
      return publish(
          request,
          policy,
          CheckpointKind.POLICY,
          parent,
          lineage,
          result.metrics(),
          result.publishedStep(),
          concat(warnings, result.warnings()),
          evaluation);
    }
  }

  private RunOutcome dpo(RunRequest request, Device device) {
    DpoConfig config = request.config().dpo();
    List<UUID> missing = store.missing(request.labelEventIds());
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          missing.size() + " labels of the snapshot are not stored, e.g. " + missing.get(0));
    }
    // The snapshot names the rankings, and the demonstrations the ptx term trains on.
    List<RankingSubmitted> rankings = store.rankings().storedOf(request.labelEventIds());
    PreferenceDataset pairs =
        PreferenceDataset.of(rankings, config.heldOutPercent(), request.weightedPairs());
    Path sft = checkpoints.resolve(request.baseVersion());
    String parent = Checkpoints.readMetadata(sft).version();
    Map<String, Object> lineage = lineage(request);
    lineage.put("rankings", rankings.size());
    lineage.put("trainPairs", pairs.trainPairs());
    lineage.put("heldOutPairs", pairs.heldOutPairs());
    RunCheckpoint<LoopState> checkpoint =
        checkpoint(
            request,
            DpoTrainer.STATE_FILE,
            LoopState.class,
            CheckpointKind.POLICY,
            parent,
            lineage);
    boolean resume = checkpoint.exists();
    Engine.getInstance().setRandomSeed((int) config.seed());
    try (LanguageModel reference = Checkpoints.load(sft, device);
        LanguageModel policy =
            resume ? checkpoint.network(device) : Checkpoints.load(sft, device)) {
      List<String> warnings = new ArrayList<>();
      List<SftExample> demonstrations =
          ptxDemonstrations(request, policy, "DPO", config.ptxCoef(), warnings);
      DpoTrainer.Result result =
          new DpoTrainer(config, listener, demonstrations, devices)
              .train(
                  policy,
                  reference,
                  pairs,
                  resume ? checkpoint.state() : LoopState.START,
                  checkpoint);
      PolicyEvaluation evaluation =
          new RunEvaluation(request)
              .byProjectJudge(
                  rewards,
                  device,
                  policy,
                  reference,
                  parent,
                  pairs.heldOut().stream().map(PromptComparisons::conversation).toList(),
                  RunEvaluation.preferenceLossVerdict(
                      result.metrics().get("initial_heldout_loss"),
                      result.metrics().get(TrainingMetrics.HELDOUT_LOSS)),
                  true);
      return publish(
          request,
          policy,
          CheckpointKind.POLICY,
          parent,
          lineage,
          result.metrics(),
          result.keptStep(),
          concat(warnings, result.warnings()),
          evaluation);
    }
  }

  /**
   * SFT's training examples of the snapshot's demonstrations, for a ptx term of weight {@code coef}
   * (none when it is 0). Without any, {@code warnings} says the stage ran without the term.
   */
  private List<SftExample> ptxDemonstrations(
      RunRequest request, LanguageModel policy, String stage, float coef, List<String> warnings) {
    if (coef <= 0) return List.of();
    List<DemonstrationSubmitted> stored = store.demonstrations().storedOf(request.labelEventIds());
    List<SftExample> examples =
        stored.isEmpty()
            ? List.of()
            : SftDataset.split(
                    stored,
                    policy.chatTemplate(),
                    policy.config().blockSize(),
                    request.config().sft().validationFraction())
                .train();
    if (examples.isEmpty()) {
      warnings.add(
          "the snapshot holds no demonstrations, so "
              + stage
              + " ran without its ptx term (ptxCoef "
              + coef
              + "): include the demonstrations SFT trained on to keep what it learned");
    }
    return examples;
  }

  private <S extends RunCheckpoint.State> RunCheckpoint<S> checkpoint(
      RunRequest request,
      String stateFile,
      Class<S> stateType,
      CheckpointKind kind,
      String parent,
      Map<String, Object> lineage) {
    return new RunCheckpoint<>(
        checkpoints.run(request.runId()),
        stateFile,
        stateType,
        new RunCheckpoint.Identity(kind, request.version(), parent, lineage));
  }

  private static Map<String, Object> lineage(RunRequest request) {
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("runId", request.runId().toString());
    lineage.put("baseVersion", request.baseVersion());
    lineage.put("labelEventIds", request.labelEventIds().stream().map(UUID::toString).toList());
    lineage.put("config", request.config());
    return lineage;
  }

  private RunOutcome publish(
      RunRequest request,
      LanguageModel network,
      CheckpointKind kind,
      String parent,
      Map<String, Object> lineage,
      Map<String, Double> metrics,
      int steps,
      List<String> warnings,
      PolicyEvaluation evaluation) {
    Path staged = checkpoints.run(request.runId()).resolve("staged");
    Checkpoints.save(
        staged,
        network,
        CheckpointMetadata.now(
            network.config(),
            network.tokenizer().name(),
            kind,
            request.version(),
            parent,
            lineage,
            metrics,
            steps));
    CheckpointDirectory.saveConfig(staged, request.config());
    Path published = checkpoints.publish(staged, request.version());
    return new RunOutcome(
        request.version(),
        parent,
        published,
        metrics,
        request.labelEventIds(),
        warnings,
        evaluation);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
