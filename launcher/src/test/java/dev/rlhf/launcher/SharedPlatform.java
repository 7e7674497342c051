package dev.rlhf.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One packaged platform on the tiny base, started as {@code ./run.sh} starts it, for the test
 * classes that can use it one after another without getting in each other's way ({@code
 * ClosedLoopIT}, {@code FaultDrillsIT}): each works in projects of its own, and every fault drill
 * ends with the part it killed started again. Starting a platform costs half a minute of the two
 * cores a CI machine has, so it is started once, by the first class that names this extension, and
 * stopped when the test run ends, or earlier by a class that starts services of its own ({@link
 * #stopForOwnServices}), so that two stacks never compete for the cores.
 *
 * <p>The services get the fault drills' shortened transaction timeout ({@link
 * #TRANSACTION_TIMEOUT}); the closed loop's transactions are short. The data directory, with the
 * services' logs under {@code logs/}, is kept when a test that used it failed.
 */
final class SharedPlatform implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** Shortened from 60 s, so that the broker drill's outage outlasts it without a long wait. */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

  /** The platform as it runs now, and what its supervisor has said since it started. */
  record Running(Platform platform, LaunchOptions options, List<String> supervision) {}

  private static Running running;
  private static Path dataDirectory;
  private static boolean failed;

  /** The platform, started if no earlier class started it. */
  static synchronized Running get() {
    if (running == null) running = start();
    return running;
  }

  /**
   * Stops the shared platform, if one runs, before a class starts services of its own. It is
   * started again if a later class needs it.
   */
  static synchronized void stopForOwnServices() {
    if (running == null) return;
    try {
      running.platform().close();
    } finally {
      running = null;
      cleanUp();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get();
    // Closed with the root context: when the whole test run ends.
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedPlatform.class))
        .computeIfAbsent(
            "stop", key -> (AutoCloseable) SharedPlatform::stopForOwnServices, Object.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    noteFailure(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    noteFailure(context);
  }

  private static synchronized void noteFailure(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) failed = true;
  }

  private static Running start() {
    failed = false;
    try {
      dataDirectory = Files.createTempDirectory("rlhf-shared-platform-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path base = TinyBase.pretrain(dataDirectory.resolve("checkpoints"));
    LaunchOptions options =
        TestLaunches.onFreePorts(dataDirectory, "--base-checkpoint", base.toString());
    List<String> supervision = new CopyOnWriteArrayList<>();
    try {
      Platform platform =
          Platform.start(
              options,
              supervision::add,
              Map.of(
                  "QUARKUS_TRANSACTION_MANAGER_DEFAULT_TRANSACTION_TIMEOUT",
                  TRANSACTION_TIMEOUT.toSeconds() + "s"));
      return new Running(platform, options, supervision);
    } catch (RuntimeException | Error e) {
      failed = true;
      cleanUp();
      throw e;
    }
  }

  /** Deletes the data directory, or says where it is kept when a test that used it failed. */
  private static void cleanUp() {
    Path directory = dataDirectory;
    dataDirectory = null;
    if (directory == null) return;
    if (failed) {
      System.out.println("shared platform's data kept (logs under logs/): " + directory);
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.out.println("shared platform's data not deleted: " + e.getMessage());
    }
  }
}
