package dev.rlhf.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.policy.RecordingListener;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.LoopState;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import dev.rlhf.training.preferences.Rankings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoResumeTest {

  @TempDir Path dir;

  private final PolicyTrainingConfig config =
      PolicyTrainingConfig.forStage(
          TrainingStage.DPO,
          Map.of(
              "epochs", "2",
              "promptsPerBatch", "8",
              "lr", "3e-3",
              "minLr", "3e-4",
              "warmupSteps", "2",
              "heldOutPercent", "25.0",
              "evalEvery", "3",
              "maxNewTokens", "12"));

  @Test
  void aKilledDpoRunResumesAtItsLastValidationAndPublishesTheWeightsOfARunNeverKilled()
      throws Exception {
    TinyPolicies.saveFresh(dir, "sft-0", CheckpointKind.SFT, 5);
    CheckpointDirectory checkpoints = new CheckpointDirectory(dir);
    RewardSource noReward =
        (version, device) -> {
          throw new AssertionError("DPO needs no reward model");
        };
    try (PolicyLabels store = PolicyLabels.open(dir.resolve("store"))) {
      List<RankingSubmitted> rankings = Rankings.politeOverRude(40, 8);
      rankings.forEach(store.rankings()::accept);
      // As the platform sends it: the rankings and the demonstrations the ptx term draws from.
      List<DemonstrationSubmitted> demonstrations = TinyPolicies.demonstrations(8, "", 8);
      demonstrations.forEach(store.demonstrations()::accept);
      List<UUID> snapshot =
          Stream.concat(
                  rankings.stream().map(RankingSubmitted::eventId),
                  demonstrations.stream().map(DemonstrationSubmitted::eventId))
              .toList();
      RunOutcome uninterrupted =
          new PolicyRun(checkpoints, store, noReward, new RecordingListener())
              .execute(request(UUID.randomUUID(), snapshot));

      RunRequest request = request(UUID.randomUUID(), snapshot);
      RecordingListener killed = new RecordingListener(4);
      assertThatThrownBy(() -> new PolicyRun(checkpoints, store, noReward, killed).execute(request))
          .isInstanceOf(RecordingListener.SimulatedKill.class);
      Path work = checkpoints.run(request.runId());
      assertThat(
              new RunCheckpoint<>(work, DpoTrainer.STATE_FILE, LoopState.class, null)
                  .state()
                  .step())
          .isEqualTo(3);
      RecordingListener resumed = new RecordingListener();
      RunOutcome outcome = new PolicyRun(checkpoints, store, noReward, resumed).execute(request);

      assertThat(resumed.reports.get(0).step()).isEqualTo(4);
      CheckpointMetadata published = Checkpoints.readMetadata(outcome.checkpoint());
      assertThat(published.kind()).isEqualTo(CheckpointKind.POLICY);
      assertThat(published.parentVersion()).isEqualTo("sft-0");
      assertThat(outcome.version()).startsWith("policy-dpo-");
      // Lineage: exactly the label events of the snapshot; the ptx term ran (no warning says not).
      assertThat(outcome.labelEventIds()).containsExactlyElementsOf(snapshot);
      assertThat(published.dataLineage())
          .containsEntry("rankings", 40)
          .containsEntry("labelEventIds", snapshot.stream().map(UUID::toString).toList());
      assertThat(outcome.warnings()).noneMatch(w -> w.contains("ptx term"));
      assertThat(outcome.metrics())
          .containsKeys(
              TrainingMetrics.HELDOUT_ACCURACY, TrainingMetrics.KL, TrainingMetrics.TRAIN_PAIRS);
      // Evaluated like every version, against its parent. No reward model judges it here, and a
      // lower held-out DPO loss alone does not vouch for the answers: promotion needs a reason.
      assertThat(outcome.evaluation().parentVersion()).isEqualTo("sft-0");
      assertThat(outcome.evaluation().passed()).isFalse();
      assertThat(outcome.evaluation().reasons())
          .anyMatch(
              r ->
                  r.matches(
                      ".*the DPO loss on held-out pairs went from \\d\\.\\d{3} to \\d\\.\\d{3}.*"))
          .anyMatch(r -> r.contains("needs a reason"));
      assertThat(TinyPolicies.maxWeightDifference(uninterrupted.checkpoint(), outcome.checkpoint()))
          .as("largest difference to the weights of the run that was never killed")
          // Exact: the same weights, optimizer state, data order (pairs and demonstrations) and
          // seeds
          // give the same floats.
          .isZero();
    }
  }

  private RunRequest request(UUID runId, List<UUID> snapshot) {
    return new RunRequest(
        runId,
        UUID.randomUUID(),
        TrainingStage.DPO,
        "sft-0",
        null,
        snapshot,
        config,
        List.of(),
        null);
  }
}
