package dev.rlhf.policy.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.policy.RecordingListener;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoResumeTest {

  @TempDir Path dir;

  private final PolicyTrainingConfig config =
      PolicyTrainingConfig.defaults()
          .withOverrides(
              Map.of(
                  "ppo.steps", "6",
                  "rolloutBatch", "8",
                  "miniBatch", "4",
                  "ppoEpochs", "2",
                  "maxNewTokens", "8",
                  "lr", "3e-3",
                  "checkpointEvery", "2",
                  "demoWorldPrompts", "true"));

  @Test
  void aKilledPpoRunResumesAndEndsWithTheWeightsOfARunThatWasNeverKilled() throws Exception {
    TinyPolicies.saveFresh(dir, "sft-0", CheckpointKind.SFT, 5);
    CheckpointDirectory checkpoints = new CheckpointDirectory(dir);
    RewardSource reward = (version, device) -> new TargetCharacterReward('a');
    try (PolicyLabels store = PolicyLabels.open(dir.resolve("store"))) {
      RunOutcome uninterrupted =
          new PolicyRun(checkpoints, store, reward, new RecordingListener())
              .execute(request(UUID.randomUUID()));

      RunRequest request = request(UUID.randomUUID());
      RecordingListener killed = new RecordingListener(5);
      assertThatThrownBy(() -> new PolicyRun(checkpoints, store, reward, killed).execute(request))
          .isInstanceOf(RecordingListener.SimulatedKill.class);
      Path work = checkpoints.run(request.runId());
      PpoState saved = new RunCheckpoint<>(work, PpoState.FILE, PpoState.class, null).state();
      assertThat(saved.step()).isEqualTo(4);
      // The guards' window (5 steps) and the rewards of the last 3 steps go on after the resume.
      assertThat(saved.guardWindow()).hasSize(4);
      assertThat(saved.recentRewards()).hasSize(3);
      assertThat(SafeTensors.readMetadata(work.resolve("policy").resolve(AdamW.STATE_FILE)))
          .containsEntry("training_step", "4");

      RecordingListener resumed = new RecordingListener();
      RunOutcome outcome = new PolicyRun(checkpoints, store, reward, resumed).execute(request);

      assertThat(resumed.reports).extracting(r -> r.step()).containsExactly(5L, 6L);
      assertThat(Checkpoints.readMetadata(outcome.checkpoint()).kind())
          .isEqualTo(CheckpointKind.POLICY);
      assertThat(Checkpoints.readMetadata(outcome.checkpoint()).parentVersion()).isEqualTo("sft-0");
      assertThat(outcome.checkpoint().resolve(CheckpointDirectory.CONFIG_FILE)).exists();
      assertThat(TinyPolicies.maxWeightDifference(uninterrupted.checkpoint(), outcome.checkpoint()))
          .as("largest difference to the weights of the run that was never killed")
          // Exact: the same weights, optimizer state, data order and seeds give the same floats.
          .isZero();
      assertThat(outcome.metrics())
          .as("the resumed run's published figures (final reward over its last 3 steps)")
          .isEqualTo(uninterrupted.metrics());
    }
  }

  private RunRequest request(UUID runId) {
    return new RunRequest(
        runId,
        UUID.randomUUID(),
        TrainingStage.PPO,
        "sft-0",
        null,
        List.of(),
        config,
        List.of(),
        null);
  }
}
