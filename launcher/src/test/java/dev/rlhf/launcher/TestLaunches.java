package dev.rlhf.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Launch options for the integration tests: the packaged checkout, free ports, a data dir. */
final class TestLaunches {

  private static final List<String> PORT_FLAGS =
      List.of(
          "--labeling-port",
          "--runtime-port",
          "--reward-port",
          "--policy-port",
          "--postgres-port",
          "--kafka-port",
          "--kafka-controller-port");

  private TestLaunches() {}

  /** Every port free now, generous readiness for busy CI machines, and {@code extra} flags. */
  static LaunchOptions onFreePorts(Path dataDirectory, String... extra) {
    Path home = Path.of("").toAbsolutePath().getParent();
    // The run command's own default is 150 s.
    List<String> args =
        new ArrayList<>(List.of("--data-dir", dataDirectory.toString(), "--ready-timeout", "420"));
    args.addAll(List.of(extra));
    for (String flag : PORT_FLAGS) {
      args.add(flag);
      args.add(Integer.toString(freePort()));
    }
    return LaunchOptions.parse(args.toArray(String[]::new), home, Map.of());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
