package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the run command refuses or arranges before it starts anything, for safety's sake. */
class ExposureTest {

  @TempDir Path home;

  private LaunchOptions options(String... args) {
    return LaunchOptions.parse(args, home, Map.of());
  }

  @Test
  void shouldRefuseToOpenThePlatformToTheNetworkWithTheDefaultAdminPassword() {
    assertThatThrownBy(
            () -> Platform.refuseDefaultPasswordOnTheNetwork(options("--host", "0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--admin-password");
    assertThatNoException().isThrownBy(() -> Platform.refuseDefaultPasswordOnTheNetwork(options()));
    assertThatNoException()
        .isThrownBy(
            () ->
                Platform.refuseDefaultPasswordOnTheNetwork(
                    options("--host", "0.0.0.0", "--admin-password", "a strong passphrase")));
  }

  @Test
  void shouldLinkABaseCheckpointFromElsewhereIntoTheCheckpointsUnderItsName() throws Exception {
    Path base = Files.createDirectories(home.resolve("models/tiny-gpt"));
    LaunchOptions options = options("--base-checkpoint", base.toString());
    Files.createDirectories(options.checkpointsDirectory());

    Platform.linkBaseCheckpoint(options);
    Platform.linkBaseCheckpoint(options);

    Path link = options.checkpointsDirectory().resolve("tiny-gpt");
    assertThat(Files.readSymbolicLink(link)).isEqualTo(base);
  }

  @Test
  void shouldKeepTheRuntimeServiceKeyAcrossRestartsReadableByItsOwnerOnly() throws Exception {
    String key = SecretFile.in(home, SecretFile.RUNTIME_KEY);

    assertThat(key).hasSizeGreaterThanOrEqualTo(32);
    assertThat(SecretFile.in(home, SecretFile.RUNTIME_KEY)).isEqualTo(key);
    assertThat(Files.getPosixFilePermissions(home.resolve(SecretFile.RUNTIME_KEY)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }
}
