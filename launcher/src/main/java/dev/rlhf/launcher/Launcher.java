package dev.rlhf.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The run command: {@code ./run.sh} starts the whole platform on embedded defaults and keeps it
 * running until Ctrl-C; {@code ./run.sh stop} stops one started elsewhere.
 */
public final class Launcher {

  private Launcher() {}

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("rlhf.home", ".")).toAbsolutePath().normalize();
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(args, home, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("run: " + e.getMessage());
      System.err.print(LaunchOptions.USAGE);
      System.exit(2);
      return;
    }
    int code =
        switch (options.command()) {
          case HELP -> {
            System.out.print(LaunchOptions.USAGE);
            yield 0;
          }
          case STOP -> stop(options);
          case START -> run(options);
        };
    System.exit(code);
  }

  private static int run(LaunchOptions options) {
    logInfrastructureToFile(options);
    Optional<ProcessHandle> running = runningPlatform(options);
    if (running.isPresent()) {
      System.err.println(
          "run: the platform is already running (pid "
              + running.get().pid()
              + "); stop it with ./run.sh stop");
      return 1;
    }
    long started = System.nanoTime();
    Platform platform;
    try {
      platform = Platform.start(options, message -> System.out.println("  " + message));
    } catch (Platform.PortTakenException e) {
      System.err.println("run: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("run: could not start the platform: " + e.getMessage());
      System.err.println("     logs: " + options.logDirectory());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nstopping the platform ...");
                  platform.close();
                  deletePidFile(options);
                  System.out.println("stopped.");
                  stopped.countDown();
                }));
    writePidFile(options);
    Optional<BaseNetworkStatus> base = platform.runtimeBase();
    printBanner(options, platform, Duration.ofNanos(System.nanoTime() - started), base);
    if (base.map(BaseNetworkStatus::preparing).orElse(false)) {
      followBasePreparation(platform);
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** PostgreSQL and Kafka run in this JVM; their chatter belongs in a log, not the terminal. */
  private static void logInfrastructureToFile(LaunchOptions options) {
    try {
      Files.createDirectories(options.logDirectory());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.setProperty(
        "org.slf4j.simpleLogger.logFile",
        options.logDirectory().resolve("infrastructure.log").toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
  }

  private static void printBanner(
      LaunchOptions options, Platform platform, Duration took, Optional<BaseNetworkStatus> base) {
    String preparing =
        base.filter(BaseNetworkStatus::preparing)
            .map(
                b ->
                    String.format(
                        "                       %s is being prepared (a first start pretrains it,"
                            + " about 5 min on 2 cores);%n"
                            + "                       completions answer 503 until then, progress"
                            + " follows below%n",
                        b.version()))
            .orElse("");
    System.out.printf(
        """

        The RLHF platform is running (started in %.1f s).

          Labeling web app     %s/              (log in as %s / %s)
          Labeling API         %s/q/openapi     (OpenAPI document)
          Model runtime        %s/v1/models     (OpenAI-compatible; bearer key in %s)
        %s%s
          Data                 %s
          Logs                 %s
          Stop                 Ctrl-C here, or ./run.sh stop from another terminal

        """,
        took.toMillis() / 1000.0,
        platform.labelingUrl(),
        options.adminUsername(),
        options.adminPassword(),
        platform.labelingUrl(),
        platform.runtimeUrl(),
        options.dataDirectory().resolve(SecretFile.RUNTIME_KEY),
        preparing,
        healthLines(platform),
        options.dataDirectory(),
        options.logDirectory());
  }

  /**
   * Prints the base network's progress (every tenth of the steps) until model-runtime serves it, or
   * why it failed. A daemon thread: it ends with the platform.
   */
  private static void followBasePreparation(Platform platform) {
    Thread follower =
        new Thread(
            () -> {
              long start = System.nanoTime();
              int shownTenth = -1;
              while (true) {
                Optional<BaseNetworkStatus> now = platform.runtimeBase();
                if (now.isPresent()) {
                  BaseNetworkStatus b = now.get();
                  if (b.failed()) {
                    System.out.printf(
                        "  model-runtime: %s; completions answer 503 until this is fixed"
                            + " (log: %s)%n",
                        b.detail(), platform.runtimeLog());
                    return;
                  }
                  if (!b.preparing()) {
                    System.out.printf(
                        "  model-runtime serves %s (prepared in %d s)%n",
                        b.version(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
                    return;
                  }
                  int tenth = b.steps() > 0 ? 10 * b.step() / b.steps() : 0;
                  if (b.steps() > 0 && tenth > shownTenth) {
                    shownTenth = tenth;
                    System.out.printf(
                        "  model-runtime: pretraining %s, step %d of %d%n",
                        b.version(), b.step(), b.steps());
                  }
                }
                try {
                  Thread.sleep(2000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "base-preparation-progress");
    follower.setDaemon(true);
    follower.start();
  }

  private static String healthLines(Platform platform) {
    StringBuilder lines = new StringBuilder();
    platform
        .serviceUrls()
        .forEach((name, url) -> lines.append(String.format("  %-20s %s/q/health%n", name, url)));
    return lines.toString();
  }

  private static int stop(LaunchOptions options) {
    Optional<Long> recorded = recordedPid(options);
    Optional<ProcessHandle> running =
        recorded.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (running.isPresent()) {
      ProcessHandle platform = running.get();
      System.out.println("stopping the platform (pid " + platform.pid() + ") ...");
      platform.destroy();
      try {
        platform.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("run: the platform did not stop within 60 s");
        return 1;
      }
    }
    // The run command stops what it started, restarts included; what it could not (it was killed)
    // is found and stopped here.
    List<ProcessHandle> left = recorded.map(pid -> Leftovers.of(options, pid)).orElse(List.of());
    if (!left.isEmpty()) {
      System.out.println("stopping " + left.size() + " process(es) the platform left running ...");
      Leftovers.stop(left, 15);
      deletePidFile(options);
    }
    if (running.isEmpty() && left.isEmpty()) {
      System.out.println("run: no platform is running from " + options.dataDirectory());
      return 0;
    }
    System.out.println("stopped.");
    return 0;
  }

  private static Optional<ProcessHandle> runningPlatform(LaunchOptions options) {
    return recordedPid(options).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  private static Optional<Long> recordedPid(LaunchOptions options) {
    try {
      if (!Files.exists(options.pidFile())) return Optional.empty();
      return Optional.of(Long.parseLong(Files.readString(options.pidFile()).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void writePidFile(LaunchOptions options) {
    try {
      Files.writeString(options.pidFile(), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      System.err.println("run: could not write " + options.pidFile() + ": " + e.getMessage());
    }
  }

  private static void deletePidFile(LaunchOptions options) {
    try {
      Files.deleteIfExists(options.pidFile());
    } catch (IOException ignored) {
      // nothing to clean up then
    }
  }
}
