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
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(List.of("--data-dir", dataDirectory.toString()));
    return onFreePorts(args, Map.of());
  }

  /** As above, with the port flags in {@code fixed} set to the given values instead. */
  static LaunchOptions onFreePorts(Path dataDirectory, Map<String, String> fixed) {
    return onFreePorts(new ArrayList<>(List.of("--data-dir", dataDirectory.toString())), fixed);
  }

  private static LaunchOptions onFreePorts(List<String> args, Map<String, String> fixed) {
    Path home = Path.of("").toAbsolutePath().getParent();
    // The run command's own default is 150 s.
    args.addAll(List.of("--ready-timeout", "420"));
    for (String flag : PORT_FLAGS) {
      args.add(flag);
      args.add(fixed.getOrDefault(flag, Integer.toString(freePort())));
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
