package dev.rlhf.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.train.CheckpointDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainPolicyTest {

  @TempDir Path checkpoints;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void storeDemonstrationsAndTinyCheckpoints() {
    TinyPolicies.saveFresh(checkpoints, "tiny-sft", CheckpointKind.SFT, 1);
    try (PolicyLabels store =
        PolicyLabels.open(new CheckpointDirectory(checkpoints).trainerState())) {
      TinyPolicies.demonstrations(12, "Sure! ", 2).forEach(store.demonstrations()::accept);
    }
  }

  @Test
  void anSftRunShowsProgressAndPublishesItsVersion() {
    int status =
        run(
            "--checkpoints", checkpoints.toString(),
            "--base", "tiny-sft",
            "--set", "steps=6",
            "--set", "batch=4",
            "--set", "evalEvery=3");

    assertThat(status).as(err()).isZero();
    Path published = onlyVersion("policy-sft-");
    CheckpointMetadata metadata = Checkpoints.readMetadata(published);
    assertThat(metadata.kind()).isEqualTo(CheckpointKind.SFT);
    assertThat(metadata.parentVersion()).isEqualTo("tiny-sft");
    assertThat(metadata.metrics()).containsKeys("val_loss", "initial_val_loss");
    assertThat(published.resolve(CheckpointDirectory.CONFIG_FILE)).isRegularFile();
    assertThat(out())
        .contains("12 demonstrations")
        .contains("published " + published.getFileName());
    assertThat(err()).containsPattern("SFT policy-sft-[\\w-]+ +100%");
  }

  @Test
  void aPpoRunScoresWithTheRewardModelAndNamesItInTheLineage() {
    saveRewardModel("tiny-reward");
    int status =
        run(
            "--stage", "ppo",
            "--checkpoints", checkpoints.toString(),
            "--base", "tiny-sft",
            "--reward", "tiny-reward",
            "--set", "ppo.steps=2",
            "--set", "rolloutBatch=4",
            "--set", "miniBatch=4",
            "--set", "ppoEpochs=1",
            "--set", "maxNewTokens=6",
            "--set", "demoWorldPrompts=true");

    assertThat(status).as(err()).isZero();
    CheckpointMetadata metadata = Checkpoints.readMetadata(onlyVersion("policy-ppo-"));
    assertThat(metadata.kind()).isEqualTo(CheckpointKind.POLICY);
    assertThat(metadata.dataLineage()).containsEntry("rewardVersion", "tiny-reward");
    assertThat(metadata.metrics()).containsKeys("reward_mean", "kl");
    assertThat(err()).containsPattern("PPO policy-ppo-[\\w-]+ +100%");
  }

  @Test
  void aDpoRunLearnsFromTheStoredRankingsAndPublishesAPolicyVersion() {
    int status =
        run(
            "--checkpoints", checkpoints.toString(),
            "--stage", "dpo",
            "--base", "tiny-sft",
            "--demo", "24",
            "--set", "epochs=1",
            "--set", "lr=3e-3",
            "--set", "maxNewTokens=8");

    assertThat(status).as(err()).isZero();
    CheckpointMetadata metadata = Checkpoints.readMetadata(onlyVersion("policy-dpo-"));
    assertThat(metadata.kind()).isEqualTo(CheckpointKind.POLICY);
    assertThat(metadata.parentVersion()).isEqualTo("tiny-sft");
    assertThat(metadata.metrics()).containsKeys("heldout_accuracy", "kl");
    assertThat(out()).contains("24 rankings");
    assertThat(err()).containsPattern("DPO policy-dpo-[\\w-]+ +100%");
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhatIsWrongAndTrainNothing() {
    assertThat(run("--checkpoints", checkpoints.toString(), "--steps", "3")).isEqualTo(2);
    assertThat(err()).contains("Unknown options: '--steps', '3'");

    assertThat(run("--checkpoints", checkpoints.toString(), "--stage", "reward")).isEqualTo(2);
    assertThat(err()).contains("--stage: sft, ppo or dpo, not REWARD");

    assertThat(run("--checkpoints", checkpoints.toString(), "--stage", "ppo")).isEqualTo(2);
    assertThat(err()).contains("--reward: a PPO run needs a reward model");

    assertThat(run("--checkpoints", checkpoints.toString(), "--set", "stepz=3")).isEqualTo(2);
    assertThat(err()).contains("--set: unknown hyper-parameter: stepz");

    assertThat(run("--checkpoints", checkpoints.toString(), "--base", "nope")).isEqualTo(2);
    assertThat(err()).contains("checkpoint nope not found");

    assertThat(versions("policy-sft-")).isEmpty();
    assertThat(new CheckpointDirectory(checkpoints).trainerState().resolve("runs")).doesNotExist();
  }

  private void saveRewardModel(String version) {
    Engine.getInstance().setRandomSeed(2);
    try (LanguageModel network =
        LanguageModel.create(TinyPolicies.config(), new ByteTokenizer(), Device.cpu())) {
      network.addRewardHead();
      Checkpoints.save(
          checkpoints.resolve(version),
          network,
          CheckpointMetadata.now(
              network.config(),
              network.tokenizer().name(),
              CheckpointKind.REWARD,
              version,
              "tiny-sft",
              Map.of(),
              Map.of(),
              0));
    }
  }

  private Path onlyVersion(String prefix) {
    var versions = versions(prefix);
    assertThat(versions).hasSize(1);
    return versions.get(0);
  }

  private java.util.List<Path> versions(String prefix) {
    try (Stream<Path> listing = Files.list(checkpoints)) {
      return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int run(String... args) {
    return TrainPolicy.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
