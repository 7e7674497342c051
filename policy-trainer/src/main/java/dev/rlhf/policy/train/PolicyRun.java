package dev.rlhf.policy.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.Conversations;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.eval.PolicyEvaluator;
import dev.rlhf.policy.ppo.PpoState;
import dev.rlhf.policy.ppo.PpoTrainer;
import dev.rlhf.policy.ppo.PromptPool;
import dev.rlhf.policy.ppo.RewardFunction;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.sft.SftDataset;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftState;
import dev.rlhf.policy.sft.SftTrainer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run end to end: resolves the snapshot and the starting checkpoint, trains
 * (resuming from the run's work directory when it holds a checkpoint), and publishes the checkpoint
 * under the run's version name. The engine is seeded from the run's configuration, so new heads
 * start alike in every run of the same configuration.
 */
public final class PolicyRun {

  private static final int DEMO_WORLD_PROMPTS = 512;

  /** One seed for every evaluation, so versions of one lineage answer alike where they agree. */
  private static final long EVALUATION_SEED = 1;

  /** A version whose answers shrink below this share of its parent's fails its evaluation. */
  private static final double EVALUATION_MIN_LENGTH_RATIO = 0.6;

  /** A PPO version further than this (nats per answer) from its parent fails its evaluation. */
  private static final double EVALUATION_MAX_KL = 10;

  private static final Logger LOG = LoggerFactory.getLogger(PolicyRun.class);

  private final CheckpointDirectory checkpoints;
  private final PolicyLabels store;
  private final RewardSource rewards;
  private final ProgressListener listener;

  public PolicyRun(
      CheckpointDirectory checkpoints,
      PolicyLabels store,
      RewardSource rewards,
      ProgressListener listener) {
    this.checkpoints = checkpoints;
    this.store = store;
    this.rewards = rewards;
    this.listener = listener;
  }

  public RunOutcome execute(RunRequest request) {
    Device device = Devices.preferred();
    return request.stage() == TrainingStage.SFT ? sft(request, device) : ppo(request, device);
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
    RunCheckpoint<SftState> checkpoint =
        new RunCheckpoint<>(
            checkpoints.run(request.runId()),
            SftState.FILE,
            SftState.class,
            new RunCheckpoint.Identity(CheckpointKind.SFT, request.version(), parent, lineage));
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
          new SftTrainer(config.sft(), listener)
              .train(network, data, resume ? checkpoint.state() : SftState.START, checkpoint);
      lineage.put("demonstrations", demonstrations.size());
      lineage.put("trainExamples", data.train().size());
      lineage.put("validationExamples", data.validation().size());
      lineage.put("trainedTokens", SftExample.trainedTokens(data.train()));
      PolicyEvaluation evaluation;
      try (LanguageModel baseNetwork = Checkpoints.load(base, device);
          RewardFunction judge = sftJudge(request, device)) {
        evaluation =
            evaluator(config)
                .evaluate(
                    network,
                    baseNetwork,
                    parent,
                    evaluationPrompts(request, demonstrations),
                    !request.evaluationPrompts().isEmpty(),
                    judge,
                    request.evaluationRewardVersion(),
                    validationVerdict(result),
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
        new RunCheckpoint<>(
            checkpoints.run(request.runId()),
            PpoState.FILE,
            PpoState.class,
            new RunCheckpoint.Identity(CheckpointKind.POLICY, request.version(), parent, lineage));
    boolean resume = checkpoint.exists();
    Engine.getInstance().setRandomSeed((int) config.ppo().seed());
    try (RewardFunction reward = rewards.open(request.rewardVersion(), device);
        RewardFunction check = rewards.openCheck(request.rewardVersion(), device);
        LanguageModel reference = Checkpoints.load(sft, device);
        LanguageModel policy =
            resume ? checkpoint.network(device) : Checkpoints.load(sft, device)) {
      PpoState state = resume ? checkpoint.state() : PpoState.start(config.ppo().initKlCoef());
      PpoTrainer.Result result =
          new PpoTrainer(config.ppo(), reward, check, prompts(request), listener)
              .train(policy, reference, state, checkpoint);
      PolicyEvaluation evaluation =
          evaluator(config)
              .evaluate(
                  policy,
                  reference,
                  parent,
                  evaluationPrompts(
                      request, store.demonstrations().storedOf(request.labelEventIds())),
                  !request.evaluationPrompts().isEmpty(),
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
          result.warnings(),
          evaluation);
    }
  }

  /**
   * The prompts of the snapshot's demonstrations and rankings (the rankings' are where the reward
   * model learnt to judge), but those held out for the evaluation; or the demo world's when
   * configured.
   */
  private PromptPool prompts(RunRequest request) {
    if (request.config().ppo().demoWorldPrompts()) {
      return PromptPool.demoWorld(request.config().ppo().seed(), DEMO_WORLD_PROMPTS);
    }
    List<DemonstrationSubmitted> demonstrations =
        store.demonstrations().storedOf(request.labelEventIds());
    Set<UUID> heldOut = heldOut(request, demonstrations);
    Map<UUID, List<Turn>> byPrompt = new LinkedHashMap<>();
    for (DemonstrationSubmitted d : demonstrations) {
      if (!heldOut.contains(d.promptId())) {
        byPrompt.putIfAbsent(d.promptId(), Conversations.prompt(d));
      }
    }
    for (RankingSubmitted r : store.rankings().storedOf(request.labelEventIds())) {
      if (!heldOut.contains(r.promptId())) {
        byPrompt.putIfAbsent(r.promptId(), Conversations.turns(r.conversation()));
      }
    }
    if (byPrompt.isEmpty()) {
      throw new IllegalArgumentException(
          "no prompts: the snapshot names no stored demonstrations or rankings and"
              + " demoWorldPrompts is off");
    }
    return new PromptPool(List.copyOf(byPrompt.values()));
  }

  /**
   * The prompts a version is evaluated on: the project's held-out set when it has one, else the
   * snapshot's prompts that SFT's split holds out (and PPO leaves alone).
   */
  private static List<List<Turn>> evaluationPrompts(
      RunRequest request, List<DemonstrationSubmitted> demonstrations) {
    if (!request.evaluationPrompts().isEmpty()) return request.evaluationPrompts();
    Set<UUID> heldOut = heldOut(request, demonstrations);
    Map<UUID, List<Turn>> byPrompt = new LinkedHashMap<>();
    for (DemonstrationSubmitted d : demonstrations) {
      if (heldOut.contains(d.promptId()))
        byPrompt.putIfAbsent(d.promptId(), Conversations.prompt(d));
    }
    return List.copyOf(byPrompt.values());
  }

  /** Without a project evaluation set, the snapshot's prompts SFT's split holds out. */
  private static Set<UUID> heldOut(
      RunRequest request, List<DemonstrationSubmitted> demonstrations) {
    if (!request.evaluationPrompts().isEmpty()) return Set.of();
    return SftDataset.heldOutPrompts(demonstrations, request.config().sft().validationFraction());
  }

  /** An SFT version is judged by the check model of the project's newest reward model, if any. */
  private RewardFunction sftJudge(RunRequest request, Device device) {
    String version = request.evaluationRewardVersion();
    if (version == null || version.isBlank()) return null;
    try {
      RewardFunction check = rewards.openCheck(version, device);
      return check != null ? check : rewards.open(version, device);
    } catch (RuntimeException e) {
      LOG.warn("cannot open {} to judge the evaluation: {}", version, e.getMessage());
      return null;
    }
  }

  /** Without a judge, an SFT version passes when it lowered the loss on held-out demonstrations. */
  private static PolicyEvaluator.Verdict validationVerdict(SftTrainer.Result result) {
    Map<String, Double> m = result.metrics();
    Double before = m.get("initial_val_loss");
    Double after = m.get(TrainingMetrics.VAL_LOSS);
    if (before == null || after == null || before.isNaN() || after.isNaN()) return null;
    return new PolicyEvaluator.Verdict(
        after < before,
        String.format(
            "no reward model to judge the answers yet; the loss on held-out demonstrations went"
                + " from %.3f to %.3f",
            before, after));
  }

  private static PolicyEvaluator evaluator(PolicyTrainingConfig config) {
    return new PolicyEvaluator(
        new PolicyEvaluator.Criteria(
            config.ppo().maxNewTokens(),
            EVALUATION_SEED,
            EVALUATION_MIN_LENGTH_RATIO,
            EVALUATION_MAX_KL));
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
}
