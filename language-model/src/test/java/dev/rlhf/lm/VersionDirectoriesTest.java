package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.lm.checkpoint.VersionDirectories;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionDirectoriesTest {

  private static final Path ROOT = Path.of("/srv/rlhf/checkpoints");

  @Test
  void shouldFindAVersionInTheDirectoryOfItsNameUnderTheRoot() {
    assertThat(VersionDirectories.of(ROOT, "sft-1.2_a")).isEqualTo(ROOT.resolve("sft-1.2_a"));
    assertThat(VersionDirectories.of(Path.of("rel/../checkpoints"), "v1"))
        .isEqualTo(Path.of("checkpoints").toAbsolutePath().resolve("v1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc",
        "/srv/rlhf/checkpoints/v1",
        "..",
        ".",
        "../v1",
        "v1/../../etc",
        "a/b",
        "a\\b",
        " ",
        "",
        "v1\0"
      })
  void shouldRefuseAnythingButAPlainNameSoNothingOutsideTheRootIsRead(String name) {
    assertThatThrownBy(() -> VersionDirectories.of(ROOT, name))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
