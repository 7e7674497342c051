package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./run.sh stop} finds after a run command was killed with -9: the services it started
 * (restarts included) by their mark, and its PostgreSQL by the server's lock file; nothing else.
 */
class LeftoversTest {

  private static final long KILLED_LAUNCHER = 999_999_001L;

  @TempDir Path home;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldFindTheServicesAndThePostgresOfAKilledRunCommandAndStopThem() throws Exception {
    LaunchOptions options = LaunchOptions.parse(new String[] {}, home, Map.of());
    Process service = markedService(KILLED_LAUNCHER);
    Process restartedService = markedService(KILLED_LAUNCHER);
    Process otherPlatforms = markedService(KILLED_LAUNCHER + 1);
    Process postgres = postgres(options);

    List<ProcessHandle> left = Leftovers.of(options, KILLED_LAUNCHER);

    assertThat(left)
        .map(ProcessHandle::pid)
        .containsExactlyInAnyOrder(service.pid(), restartedService.pid(), postgres.pid());
    Leftovers.stop(left, 5);
    for (Process stopped : List.of(service, restartedService, postgres)) {
      assertThat(stopped.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(otherPlatforms.isAlive()).isTrue();
  }

  /** A stand-in for a service JVM: a JVM whose command line carries the run command's mark. */
  private Process markedService(long launcher) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String classes =
        Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    Process process =
        new ProcessBuilder(
                java, "-Drlhf.launched-by=" + launcher, "-cp", classes, Sleeper.class.getName())
            .redirectErrorStream(true)
            .start();
    started.add(process);
    return process;
  }

  /** What the stand-in runs. */
  static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(600_000);
    }
  }

  /** A stand-in for PostgreSQL: an executable named postgres, named in the lock file. */
  private Process postgres(LaunchOptions options) throws Exception {
    Path data = Files.createDirectories(options.dataDirectory().resolve("postgres"));
    Path executable = home.resolve("postgres");
    Files.copy(Path.of("/bin/sleep"), executable, StandardCopyOption.COPY_ATTRIBUTES);
    Process process = new ProcessBuilder(executable.toString(), "600").start();
    started.add(process);
    Files.writeString(data.resolve("postmaster.pid"), process.pid() + "\n" + data + "\n");
    return process;
  }
}
