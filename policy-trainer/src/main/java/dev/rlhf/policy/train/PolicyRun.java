package dev.rlhf.policy.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.Conversations;
import dev.rlhf.policy.data.DemonstrationStore;
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
import java.util.UUID;

/**
 * Carries out one run end to end: resolves the snapshot and the starting checkpoint, trains
 * (resuming from the run's work directory when it holds a checkpoint), and publishes the checkpoint
 * under the run's version name. The engine is seeded from the run's configuration, so new heads
 * start alike in every run of the same configuration.
 */
public final class PolicyRun {

  private static final int DEMO_WORLD_PROMPTS = 512;

  private final CheckpointDirectory checkpoints;
  private final DemonstrationStore store;
  private final RewardSource rewards;
  private final ProgressListener listener;

  public PolicyRun(
      CheckpointDirectory checkpoints,
      DemonstrationStore store,
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
    List<DemonstrationSubmitted> demonstrations = store.snapshot(request.labelEventIds());
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
              config.sft().validationFraction(),
              config.sft().seed());
      SftTrainer.Result result =
          new SftTrainer(config.sft(), listener)
              .train(network, data, resume ? checkpoint.state() : SftState.START, checkpoint);
      lineage.put("demonstrations", demonstrations.size());
      lineage.put("trainExamples", data.train().size());
      lineage.put("validationExamples", data.validation().size());
      lineage.put("trainedTokens", SftExample.trainedTokens(data.train()));
      return publish(
          request, network, CheckpointKind.SFT, parent, lineage, result.metrics(), result.steps());
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
        LanguageModel reference = Checkpoints.load(sft, device);
        LanguageModel policy =
            resume ? checkpoint.network(device) : Checkpoints.load(sft, device)) {
      PpoState state = resume ? checkpoint.state() : PpoState.start(config.ppo().initKlCoef());
      PpoTrainer.Result result =
          new PpoTrainer(config.ppo(), reward, prompts(request), listener)
              .train(policy, reference, state, checkpoint);
      return publish(
          request,
          policy,
          CheckpointKind.POLICY,
          parent,
          lineage,
          result.metrics(),
          result.steps());
    }
  }

  /** The snapshot's prompts, or the demo world's when configured. */
  private PromptPool prompts(RunRequest request) {
    if (request.config().ppo().demoWorldPrompts()) {
      return PromptPool.demoWorld(request.config().ppo().seed(), DEMO_WORLD_PROMPTS);
    }
    Map<UUID, List<Turn>> byPrompt = new LinkedHashMap<>();
    for (DemonstrationSubmitted d : store.storedOf(request.labelEventIds())) {
      byPrompt.putIfAbsent(d.promptId(), Conversations.prompt(d));
    }
    if (byPrompt.isEmpty()) {
      throw new IllegalArgumentException(
          "no prompts: the snapshot names no stored demonstrations and demoWorldPrompts is off");
    }
    return new PromptPool(List.copyOf(byPrompt.values()));
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
      int steps) {
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
    return new RunOutcome(request.version(), parent, published, metrics, request.labelEventIds());
  }
}
