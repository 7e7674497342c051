package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

  private static final Path HOME = Path.of("/opt/rlhf");

  @Test
  void shouldRunEverythingOnDefaultsWithoutArguments() {
    LaunchOptions options = LaunchOptions.parse(new String[0], HOME, Map.of());

    assertThat(options.command()).isEqualTo(LaunchOptions.Command.START);
    assertThat(options.labelingPort()).isEqualTo(8080);
    assertThat(options.dataDirectory()).isEqualTo(HOME.resolve(".run"));
    assertThat(options.fresh()).isFalse();
    assertThat(options.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldListenOnLoopbackUnlessTheFlagOrTheEnvironmentSaysOtherwise() {
    assertThat(LaunchOptions.parse(new String[] {"--host", "0.0.0.0"}, HOME, Map.of()).host())
        .isEqualTo("0.0.0.0");
    assertThat(LaunchOptions.parse(new String[0], HOME, Map.of("HTTP_HOST", "10.0.0.5")).host())
        .isEqualTo("10.0.0.5");
  }

  @Test
  void shouldTakePortsDataDirectoryAndFreshFromFlags() {
    LaunchOptions options =
        LaunchOptions.parse(
            new String[] {"start", "--labeling-port", "9000", "--data-dir", "/tmp/x", "--fresh"},
            HOME,
            Map.of());

    assertThat(options.labelingPort()).isEqualTo(9000);
    assertThat(options.dataDirectory()).isEqualTo(Path.of("/tmp/x"));
    assertThat(options.fresh()).isTrue();
  }

  @Test
  void shouldRejectABadPortWithAMessageNamingTheFlag() {
    assertThatThrownBy(
            () -> LaunchOptions.parse(new String[] {"--kafka-port", "99999"}, HOME, Map.of()))
        .hasMessageContaining("--kafka-port must be a port number");
  }

  @Test
  void shouldTakeTheBaseCheckpointFromTheFlagOrTheEnvironmentRelativeToTheHome() {
    assertThat(LaunchOptions.parse(new String[0], HOME, Map.of()).baseCheckpoint()).isNull();
    assertThat(
            LaunchOptions.parse(new String[] {"--base-checkpoint", "models/tiny"}, HOME, Map.of())
                .baseCheckpoint())
        .isEqualTo(HOME.resolve("models/tiny"));
    assertThat(
            LaunchOptions.parse(new String[0], HOME, Map.of("BASE_CHECKPOINT", "/data/base"))
                .baseCheckpoint())
        .isEqualTo(Path.of("/data/base"));
  }

  @Test
  void shouldRefuseABaseCheckpointThatIsNotThereNamingTheFlag() {
    LaunchOptions options =
        LaunchOptions.parse(
            new String[] {"--base-checkpoint", "/nonexistent/base"}, HOME, Map.of());

    assertThatThrownBy(() -> Platform.checkBaseCheckpoint(options))
        .hasMessageContaining("--base-checkpoint /nonexistent/base is not a directory");
  }

  @Test
  void shouldNameTheTakenPortAndTheFlagThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      // Every other port is one free now, so a platform running on the defaults changes nothing.
      LaunchOptions options =
          TestLaunches.onFreePorts(
              HOME, Map.of("--runtime-port", Integer.toString(taken.getLocalPort())));

      assertThatThrownBy(() -> Platform.checkPortsFree(options))
          .isInstanceOf(Platform.PortTakenException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("--runtime-port");
    }
  }
}
