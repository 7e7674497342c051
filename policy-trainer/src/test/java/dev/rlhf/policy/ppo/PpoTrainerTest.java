package dev.rlhf.policy.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.Shard;
import dev.rlhf.policy.RecordingListener;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.sft.SftDataset;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftTrainer;
import dev.rlhf.policy.train.RunCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoTrainerTest {

  @TempDir Path dir;

  static PpoConfig tinyConfig(int steps, float klHardLimit) {
    return new PpoConfig(
        steps,
        32,
        16,
        4,
        12,
        1f,
        2e-3f,
        1f,
        0.2f,
        0.2f,
        0.1f,
        0f,
        1f,
        0.95f,
        0.2f,
        6f,
        100f,
        klHardLimit,
        // The other guards off: these tests are about PPO's own mechanics.
        1_000,
        0f,
        1e9f,
        0f,
        1e9f,
        true,
        5,
        2,
        true,
        11);
  }

  private PpoTrainer.Result train(PpoConfig config, RecordingListener listener) {
    return train(config, new TargetCharacterReward('a'), null, listener);
  }

  private PpoTrainer.Result train(
      PpoConfig config, RewardFunction reward, RewardFunction check, RecordingListener listener) {
    return train(config, reward, check, listener, List.of(), null);
  }

  /**
   * Trains from a fresh tiny SFT policy; with {@code demoLoss} given, it is set to the policy's
   * language-modelling loss on {@code demonstrations} after training.
   */
  private PpoTrainer.Result train(
      PpoConfig config,
      RewardFunction reward,
      RewardFunction check,
      RecordingListener listener,
      List<SftExample> demonstrations,
      double[] demoLoss) {
    Path sft = TinyPolicies.saveFresh(dir, "sft", CheckpointKind.SFT, 5);
    try (LanguageModel policy = Checkpoints.load(sft, Device.cpu());
        LanguageModel reference = Checkpoints.load(sft, Device.cpu())) {
      PpoTrainer.Result result =
          new PpoTrainer(
                  config, reward, check, PromptPool.demoWorld(1, 64), listener, demonstrations)
              .train(
                  policy,
                  reference,
                  PpoState.start(config.initKlCoef()),
                  new RunCheckpoint<>(
                      dir.resolve("work-" + config.ptxCoef()),
                      PpoState.FILE,
                      PpoState.class,
                      new RunCheckpoint.Identity(
                          CheckpointKind.POLICY, "ppo-test", "sft", Map.of())));
      if (demoLoss != null) {
        try (NDManager m = policy.manager().newSubManager()) {
          int pad = policy.tokenizer().specialId(SpecialToken.END_OF_TEXT);
          demoLoss[0] =
              SftTrainer.shardLoss(policy, demonstrations, Shard.WHOLE, pad, m).getFloat();
        }
      }
      return result;
    }
  }

  @Test
  void thePtxTermHoldsOnToTheDemonstrationsTheRewardIgnores() {
    // The reward pays for 'a'; the demonstrations answer in a phrase with none.
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(16, "Hello, world.", 3);
    List<SftExample> examples;
    try (LanguageModel shape =
        Checkpoints.load(
            TinyPolicies.saveFresh(dir, "shape", CheckpointKind.SFT, 5), Device.cpu())) {
      examples =
          SftDataset.split(demos, shape.chatTemplate(), shape.config().blockSize(), 0f).train();
    }
    double[] plain = new double[1];
    double[] withPtx = new double[1];
    PpoConfig config = tinyConfig(8, 1e9f);
    train(config, new TargetCharacterReward('a'), null, new RecordingListener(), examples, plain);
    RecordingListener listener = new RecordingListener();
    train(withPtx(config, 1f), new TargetCharacterReward('a'), null, listener, examples, withPtx);

    System.out.printf(
        "demonstration loss after PPO: %.3f plain, %.3f with ptx%n", plain[0], withPtx[0]);
    assertThat(withPtx[0]).isLessThan(plain[0] * 0.8);
    assertThat(listener.reports.get(7).metrics()).containsKey("ptx_loss");
  }

  private static PpoConfig withPtx(PpoConfig c, float ptxCoef) {
    return new PpoConfig(
        c.steps(),
        c.rolloutBatch(),
        c.miniBatch(),
        c.ppoEpochs(),
        c.maxNewTokens(),
        c.temperature(),
        c.lr(),
        c.gradClip(),
        c.clipRange(),
        c.clipRangeValue(),
        c.valueCoef(),
        ptxCoef,
        c.gamma(),
        c.lambda(),
        c.initKlCoef(),
        c.targetKl(),
        c.klHorizon(),
        c.klHardLimit(),
        c.guardWindow(),
        c.minLengthRatio(),
        c.maxKlRatio(),
        c.minEntropyRatio(),
        c.maxCheckDrop(),
        c.whitenRewards(),
        c.checkpointEvery(),
        c.samplesPerStep(),
        c.demoWorldPrompts(),
        c.seed());
  }

  @Test
  void ppoAgainstAProgrammaticRewardRaisesTheMeanRewardWhileKlStaysUnderTheLimit() {
    RecordingListener listener = new RecordingListener();
    PpoTrainer.Result result = train(tinyConfig(25, 30f), listener);

    System.out.printf(
        "PPO reward %.4f -> %.4f, final KL %.3f%n",
        result.initialReward(), result.finalReward(), result.finalKl());
    // One batch's reward is noisy, and trajectories differ with the seed (0.06-0.6 after 25 steps):
    // the last five steps' mean against the first batch, at chance level (a share of 'a' in random
    // bytes is about 1/256).
    double lastFive =
        listener.reports.subList(20, 25).stream()
            .mapToDouble(r -> r.metrics().get(TrainingMetrics.REWARD_MEAN))
            .average()
            .orElseThrow();
    System.out.printf("PPO mean reward of the last five steps %.4f%n", lastFive);
    assertThat(lastFive).isGreaterThan(Math.max(result.initialReward() * 10, 0.03));
    assertThat(listener.reports).hasSize(25);
    assertThat(listener.reports).allMatch(r -> r.metrics().get("kl") < 30);
    assertThat(listener.reports.get(24).metrics())
        .containsKeys(
            "reward_mean",
            "kl",
            "entropy",
            "clip_fraction",
            "value_loss",
            "response_length",
            "prompt_length",
            "prompt_length_max");
    Map<String, Double> last = listener.reports.get(24).metrics();
    assertThat(last.get("prompt_length"))
        .isPositive()
        .isLessThanOrEqualTo(last.get("prompt_length_max"));
    assertThat(listener.reports.get(24).samples()).hasSize(2);
  }

  /** The tiny configuration with the reward-hacking guards on, as a real run has them. */
  private static PpoConfig guarded(int steps) {
    PpoConfig c = tinyConfig(steps, 1e9f);
    return PolicyTrainingConfig.defaults()
        .withOverrides(
            Map.ofEntries(
                Map.entry("ppo.steps", String.valueOf(steps)),
                Map.entry("rolloutBatch", String.valueOf(c.rolloutBatch())),
                Map.entry("miniBatch", String.valueOf(c.miniBatch())),
                Map.entry("maxNewTokens", String.valueOf(c.maxNewTokens())),
                Map.entry("ppo.lr", String.valueOf(c.lr())),
                Map.entry("initKlCoef", "0.0"),
                Map.entry("klHardLimit", "1000000.0"),
                Map.entry("guardWindow", "3"),
                Map.entry("checkpointEvery", "5"),
                Map.entry("ppo.seed", "11")))
        .ppo();
  }

  @Test
  void aRunThatOveroptimisesItsRewardAgainstTheIndependentCheckIsStoppedAndRolledBack() {
    // The proxy pays for 'a'; the check model, like people, wants ordinary text without them.
    TargetCharacterReward proxy = new TargetCharacterReward('a');
    RewardFunction check =
        (prompts, texts) -> texts.stream().mapToDouble(t -> -proxy.share(t)).toArray();
    RecordingListener listener = new RecordingListener();
    PpoTrainer.Result result = train(guarded(40), proxy, check, listener);

    assertThat(result.trip()).isNotNull();
    assertThat(result.trip().guard()).isEqualTo("overoptimization");
    assertThat(result.steps()).isLessThan(40);
    assertThat(result.publishedStep()).isLessThan(result.steps());
    assertThat(listener.reports.get(0).metrics()).containsKey("check_reward_mean");
    assertThat(result.warnings()).singleElement().asString().contains("its independent check fell");
  }

  @Test
  void aRunWhoseResponsesCollapseIsStopped() {
    RewardFunction shorter =
        (prompts, texts) -> texts.stream().mapToDouble(t -> -t.length()).toArray();
    PpoTrainer.Result result = train(guarded(40), shorter, null, new RecordingListener());

    assertThat(result.trip()).isNotNull();
    assertThat(result.trip().guard()).isIn("length", "entropy");
    assertThat(result.metrics()).containsEntry("stopped_early", 1.0);
  }

  @Test
  void aRunWhoseKlPassesTheHardLimitStopsAndRollsBackToItsBestWeights() {
    RecordingListener listener = new RecordingListener();
    PpoTrainer.Result result = train(tinyConfig(30, 0.05f), listener);

    assertThat(result.trip()).isNotNull();
    assertThat(result.trip().guard()).isEqualTo("kl");
    assertThat(result.steps()).isLessThan(30);
    // No step was judged better than the start, so the start's weights are what is published.
    assertThat(result.publishedStep()).isZero();
    assertThat(result.warnings())
        .singleElement()
        .asString()
        .contains("PPO stopped at step " + result.steps())
        .contains("over the hard limit");
    assertThat(result.metrics()).containsEntry("stopped_early", 1.0);
  }
}
