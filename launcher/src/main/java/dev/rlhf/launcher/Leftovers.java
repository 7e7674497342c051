package dev.rlhf.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a run command started and left running after it ended without stopping them (it was killed
 * with -9, say): its service JVMs, found by the {@code -Drlhf.launched-by=<pid>} mark on their
 * command line, and its PostgreSQL, found by the server's lock file in the data directory. {@code
 * ./run.sh stop} stops them, so no restart of a service outlives the platform.
 */
final class Leftovers {

  private Leftovers() {}

  /** Every process left by the run command {@code launcherPid} of {@code options}. */
  static List<ProcessHandle> of(LaunchOptions options, long launcherPid) {
    String mark = "-Drlhf.launched-by=" + launcherPid + " ";
    List<ProcessHandle> left = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> (c + " ").contains(mark)).orElse(false))
        .forEach(left::add);
    postgres(options.dataDirectory().resolve("postgres")).ifPresent(left::add);
    return left;
  }

  /** Asks each to stop, and kills those still running after {@code graceSeconds}. */
  static void stop(List<ProcessHandle> processes, int graceSeconds) {
    processes.forEach(ProcessHandle::destroy);
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(graceSeconds, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
  }

  private static Optional<ProcessHandle> postgres(Path dataDirectory) {
    try {
      List<String> lock = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      if (lock.isEmpty()) return Optional.empty();
      return ProcessHandle.of(Long.parseLong(lock.get(0).trim()))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
