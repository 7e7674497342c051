package dev.rlhf.policy.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.policy.RecordingListener;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftResumeTest {

  @TempDir Path dir;

  @Test
  void aKilledSftRunResumesAtItsLastValidationAndEndsWithTheWeightsOfARunNeverKilled()
      throws Exception {
    TinyPolicies.saveFresh(dir, "base", CheckpointKind.BASE, 3);
    CheckpointDirectory checkpoints = new CheckpointDirectory(dir);
    RewardSource noReward =
        (version, device) -> {
          throw new AssertionError("SFT needs no reward");
        };
    try (PolicyLabels store = PolicyLabels.open(dir.resolve("store"))) {
      List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(30, "Sure! ", 4);
      demos.forEach(store.demonstrations()::accept);
      List<UUID> snapshot = demos.stream().map(DemonstrationSubmitted::eventId).toList();
      RunOutcome uninterrupted =
          new PolicyRun(checkpoints, store, noReward, new RecordingListener())
              .execute(request(UUID.randomUUID(), snapshot));

      RunRequest request = request(UUID.randomUUID(), snapshot);
      RecordingListener killed = new RecordingListener(20);
      assertThatThrownBy(() -> new PolicyRun(checkpoints, store, noReward, killed).execute(request))
          .isInstanceOf(RecordingListener.SimulatedKill.class);
      RecordingListener resumed = new RecordingListener();
      RunOutcome outcome = new PolicyRun(checkpoints, store, noReward, resumed).execute(request);

      assertThat(resumed.reports).extracting(r -> r.step()).containsExactly(30L);
      assertThat(Checkpoints.readMetadata(outcome.checkpoint()).kind())
          .isEqualTo(CheckpointKind.SFT);
      assertThat(outcome.metrics().get("initial_val_loss"))
          .isEqualTo(uninterrupted.metrics().get("initial_val_loss"));
      assertThat(TinyPolicies.maxWeightDifference(uninterrupted.checkpoint(), outcome.checkpoint()))
          .as("largest difference to the weights of the run that was never killed")
          // Exact: the same weights, optimizer state, data order and seeds give the same floats.
          .isZero();
    }
  }

  private static RunRequest request(UUID runId, List<UUID> snapshot) {
    return new RunRequest(
        runId,
        UUID.randomUUID(),
        TrainingStage.SFT,
        "base",
        null,
        snapshot,
        PolicyTrainingConfig.defaults()
            .withOverrides(
                Map.of("sft.steps", "30", "batch", "4", "evalEvery", "10", "sft.lr", "3e-3")),
        List.of(),
        null);
  }
}
