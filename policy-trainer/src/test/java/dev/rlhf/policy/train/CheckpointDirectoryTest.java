package dev.rlhf.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.lm.checkpoint.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training command names its base; it cannot make the trainer read a checkpoint elsewhere. */
class CheckpointDirectoryTest {

  @TempDir Path dir;

  private static Path checkpointAt(Path path) throws Exception {
    Files.createDirectories(path);
    Files.writeString(path.resolve(Checkpoints.METADATA_FILE), "{}");
    Files.writeString(path.resolve(Checkpoints.WEIGHTS_FILE), "");
    return path;
  }

  @Test
  void shouldFindANamedVersionUnderTheRootOnly() throws Exception {
    Path root = dir.resolve("checkpoints");
    checkpointAt(root.resolve("sft-1"));
    Path outside = checkpointAt(dir.resolve("outside"));
    CheckpointDirectory checkpoints = new CheckpointDirectory(root);

    assertThat(checkpoints.resolve("sft-1")).isEqualTo(root.toAbsolutePath().resolve("sft-1"));
    for (String traversal :
        new String[] {"../outside", outside.toString(), "sft-1/../../outside"}) {
      assertThatThrownBy(() -> checkpoints.resolve(traversal))
          .as(traversal)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> checkpoints.publish(outside, "../escaped"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("escaped")).doesNotExist();
  }

  @Test
  void shouldKeepEachReplicasStateApartAndRefuseANameThatIsAPath() {
    Path root = dir.resolve("checkpoints");

    assertThat(new CheckpointDirectory(root).trainerState())
        .isEqualTo(root.resolve("policy-trainer"));
    assertThat(new CheckpointDirectory(root, "policy-trainer-1").trainerState())
        .isEqualTo(root.resolve("policy-trainer/replicas/policy-trainer-1"));
    for (String bad : new String[] {"..", "a/b", "", "-x"}) {
      assertThatThrownBy(() -> new CheckpointDirectory(root, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("replica");
    }
  }
}
