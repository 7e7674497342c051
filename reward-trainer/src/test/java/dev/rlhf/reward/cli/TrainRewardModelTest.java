package dev.rlhf.reward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.reward.Preferences;
import dev.rlhf.reward.training.RewardRun;
import dev.rlhf.reward.training.RunDirectory;
import dev.rlhf.training.preferences.Rankings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRewardModelTest {

  @TempDir Path dir;
  private Path checkpoints;
  private Path rankings;
  private List<RankingSubmitted> events;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeAPreferenceFileAndATinyBase() throws Exception {
    checkpoints = dir.resolve("checkpoints");
    Preferences.tinyBase(checkpoints.resolve("tiny-sft"));
    events = Rankings.politeOverRude(40, 5);
    rankings = dir.resolve("rankings.jsonl");
    Files.write(rankings, events.stream().map(EventCodec::toJson).toList());
  }

  @Test
  void trainsOnTheFileShowsProgressAndPublishesTheVersionWithItsMetrics() {
    UUID runId = UUID.randomUUID();
    int status =
        run(
            "--rankings", rankings.toString(),
            "--base", "tiny-sft",
            "--checkpoints", checkpoints.toString(),
            "--run-id", runId.toString(),
            "--set", "epochs=2",
            "--set", "lr=3e-3",
            "--set", "warmupSteps=2",
            "--set", "heldOutPercent=20");

    assertThat(status).as(err()).isZero();
    Path published = checkpoints.resolve("reward-" + runId);
    assertThat(published.resolve(Checkpoints.WEIGHTS_FILE)).isRegularFile();
    CheckpointMetadata metadata = Checkpoints.readMetadata(published);
    assertThat(metadata.kind()).isEqualTo(CheckpointKind.REWARD);
    assertThat(metadata.parentVersion()).isEqualTo("tiny-sft");
    assertThat(metadata.metrics()).containsKeys("heldout_accuracy", "heldout_loss", "epoch");
    assertThat(metadata.dataLineage().get("labelEventIds"))
        .isEqualTo(events.stream().map(e -> e.eventId().toString()).toList());
    RunDirectory run =
        new RunDirectory(
            RewardRun.runsDirectory(RewardRun.stateDirectory(checkpoints, null))
                .resolve(runId.toString()));
    assertThat(run.outcome().orElseThrow().status()).isEqualTo("SUCCEEDED");
    assertThat(out())
        .contains("run " + runId + " on 40 rankings")
        .contains("epoch 2: held-out loss")
        .contains("reward version reward-" + runId + " at " + published.toAbsolutePath())
        .contains("SUCCEEDED");
    assertThat(err()).containsPattern("reward model +100%");
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(run("--rankings", rankings.toString(), "--base", "tiny-sft", "--epochs", "3"))
        .isEqualTo(2);
    assertThat(err())
        .contains("Unknown options: '--epochs', '3'")
        .contains("Usage: TrainRewardModel");
    assertNothingTrained();
  }

  @Test
  void aMissingRequiredOptionIsAUsageErrorNamingIt() {
    assertThat(run("--rankings", rankings.toString())).isEqualTo(2);
    assertThat(err()).contains("Missing required option: '--base=CHECKPOINT'");
  }

  @Test
  void anUnknownHyperParameterIsAUsageErrorBeforeAnyTraining() {
    assertThat(
            run(
                "--rankings",
                rankings.toString(),
                "--base",
                "tiny-sft",
                "--checkpoints",
                checkpoints.toString(),
                "--set",
                "learningRate=1e-3"))
        .isEqualTo(2);
    assertThat(err()).contains("--set: unknown hyper-parameter learningRate");
    assertNothingTrained();
  }

  @Test
  void aRankingsFileThatDoesNotExistIsAUsageError() {
    Path missing = dir.resolve("nope.jsonl");
    assertThat(run("--rankings", missing.toString(), "--base", "tiny-sft")).isEqualTo(2);
    assertThat(err()).contains("--rankings: no file " + missing);
    assertThat(missing).doesNotExist();
  }

  @Test
  void aBaseThatDoesNotExistFailsTheRunWithTheReasonAndPublishesNothing() {
    UUID runId = UUID.randomUUID();
    int status =
        run(
            "--rankings", rankings.toString(),
            "--base", "no-such-base",
            "--checkpoints", checkpoints.toString(),
            "--run-id", runId.toString());

    assertThat(status).isEqualTo(1);
    assertThat(err()).contains("failed: base checkpoint no-such-base not found");
    assertThat(out()).contains("FAILED");
    assertThat(checkpoints.resolve("reward-" + runId)).doesNotExist();
  }

  private int run(String... args) {
    return TrainRewardModel.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  private void assertNothingTrained() {
    assertThat(checkpoints.resolve("reward-trainer")).doesNotExist();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
