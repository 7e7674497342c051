package dev.rlhf.policy.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.policy.RecordingListener;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.ppo.TargetCharacterReward;
import dev.rlhf.training.preferences.Rankings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training with the CPU as two logical devices (PyTorch has one CPU device, so the
 * two replicas share it): each stage's run over two devices publishes the weights a run on one
 * device publishes, up to float rounding, because each device takes its share of every batch and
 * the gradients are added before one optimizer step.
 */
class DataParallelRunTest {

  private static final List<Device> ONE = List.of(Device.cpu());
  private static final List<Device> TWO = List.of(Device.cpu(), Device.cpu());

  /**
   * Float rounding: the shards sum their tokens apart and pad to their own lengths, so the same
   * gradients come out in another order, and Adam, dividing each gradient by its own size, carries
   * a rounding difference of a near-zero gradient into a whole step: 2.6e-6 to 4e-5 apart over runs
   * here (the test data's ids are random), against 7.5e-3 to 3.2e-2 of training.
   */
  private static final float ROUNDING = 2e-4f;

  @TempDir Path dir;

  @Test
  void sftOverTwoDevicesTrainsTheWeightsOfOneDevice() throws Exception {
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(30, "Sure! ", 4);
    List<UUID> snapshot = demos.stream().map(DemonstrationSubmitted::eventId).toList();
    // A batch of 5 splits 3 + 2: the devices' shares differ.
    assertSameTraining(
        "base",
        CheckpointKind.BASE,
        store -> demos.forEach(store.demonstrations()::accept),
        TrainingStage.SFT,
        snapshot,
        PolicyTrainingConfig.defaults()
            .withOverrides(
                Map.of("sft.steps", "20", "batch", "5", "evalEvery", "10", "sft.lr", "3e-3")),
        noReward());
  }

  @Test
  void dpoWithItsPtxTermOverTwoDevicesTrainsTheWeightsOfOneDevice() throws Exception {
    List<RankingSubmitted> rankings = Rankings.politeOverRude(30, 8);
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(8, "", 8);
    List<UUID> snapshot =
        Stream.concat(
                rankings.stream().map(RankingSubmitted::eventId),
                demos.stream().map(DemonstrationSubmitted::eventId))
            .toList();
    assertSameTraining(
        "sft-0",
        CheckpointKind.SFT,
        store -> {
          rankings.forEach(store.rankings()::accept);
          demos.forEach(store.demonstrations()::accept);
        },
        TrainingStage.DPO,
        snapshot,
        PolicyTrainingConfig.forStage(
            TrainingStage.DPO,
            Map.of(
                "epochs", "1",
                "promptsPerBatch", "7",
                "lr", "3e-3",
                "warmupSteps", "1",
                "heldOutPercent", "25.0",
                "evalEvery", "2",
                "ptxCoef", "0.5",
                "maxNewTokens", "8")),
        noReward());
  }

  @Test
  void aPpoUpdateOverTwoDevicesTrainsTheWeightsOfOneDevice() throws Exception {
    // One PPO step: both runs sample the same rollouts from the same weights, then take the
    // iteration's minibatch steps (2 epochs of 2 minibatches) over one or two devices. A second
    // step would sample from weights that differ in the last digits, which can change a token.
    assertSameTraining(
        "sft-0",
        CheckpointKind.SFT,
        store -> {},
        TrainingStage.PPO,
        List.of(),
        PolicyTrainingConfig.defaults()
            .withOverrides(
                Map.of(
                    "ppo.steps", "1",
                    "rolloutBatch", "8",
                    "miniBatch", "3",
                    "ppoEpochs", "2",
                    "maxNewTokens", "8",
                    "lr", "3e-3",
                    "demoWorldPrompts", "true")),
        (version, device) -> new TargetCharacterReward('a'));
  }

  private interface Labels {
    void store(PolicyLabels store);
  }

  private void assertSameTraining(
      String base,
      CheckpointKind kind,
      Labels labels,
      TrainingStage stage,
      List<UUID> snapshot,
      PolicyTrainingConfig config,
      RewardSource reward)
      throws Exception {
    Path start = TinyPolicies.saveFresh(dir, base, kind, 5);
    CheckpointDirectory checkpoints = new CheckpointDirectory(dir);
    try (PolicyLabels store = PolicyLabels.open(dir.resolve("store"))) {
      labels.store(store);
      RunOutcome one =
          new PolicyRun(checkpoints, store, reward, new RecordingListener(), ONE)
              .execute(request(stage, base, snapshot, config));
      RunOutcome two =
          new PolicyRun(checkpoints, store, reward, new RecordingListener(), TWO)
              .execute(request(stage, base, snapshot, config));

      float trained = largestChange(start, one.checkpoint());
      float apart = TinyPolicies.maxWeightDifference(one.checkpoint(), two.checkpoint());
      System.out.printf(
          "%s: weights moved up to %.5f by training; one and two devices %.2e apart%n",
          stage, trained, apart);
      assertThat(trained).as("largest change training made").isGreaterThan(20 * ROUNDING);
      assertThat(apart).as("largest difference between one and two devices").isLessThan(ROUNDING);
      assertThat(two.metrics().keySet()).isEqualTo(one.metrics().keySet());
    }
  }

  /** The largest change of a weight the start has (a PPO policy adds a value head). */
  private static float largestChange(Path start, Path trained) throws Exception {
    Map<String, Tensor> before = SafeTensors.read(start.resolve(Checkpoints.WEIGHTS_FILE));
    Map<String, Tensor> after = SafeTensors.read(trained.resolve(Checkpoints.WEIGHTS_FILE));
    float max = 0;
    for (Map.Entry<String, Tensor> e : before.entrySet()) {
      float[] p = e.getValue().data();
      float[] q = after.get(e.getKey()).data();
      for (int i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i] - q[i]));
    }
    return max;
  }

  private static RunRequest request(
      TrainingStage stage, String base, List<UUID> snapshot, PolicyTrainingConfig config) {
    return new RunRequest(
        UUID.randomUUID(), UUID.randomUUID(), stage, base, null, snapshot, config, List.of(), null);
  }

  private static RewardSource noReward() {
    return (version, device) -> {
      throw new AssertionError("no reward model in this stage");
    };
  }
}
