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
 * One packaged platform, started as {@code ./run.sh} starts it on a newcomer's machine (an empty
 * data directory, no base checkpoint: model-runtime prepares the demo base, {@value
 * #DEMO_BASE_STEPS} steps), for the test classes that can use it one after another without getting
 * in each other's way: {@code PlatformSmokeIT} (which stops it and starts it again), {@code
 * ClosedLoopIT} and {@code FaultDrillsIT}. Each works in projects of its own, and every fault drill
 * ends with the part it killed started again. Starting a platform costs half a minute of the two
 * cores a CI machine has, so it is started once, by the first test that asks for it, and stopped
 * when the test run ends, or earlier by a class that starts services of its own ({@link
 * #stopForOwnServices}), so that two stacks never compete for the cores.
 *
 * <p>Once it runs, the tiny base ({@link TinyBase}) is pretrained into its checkpoints: the
 * training cycles of the tests name it as their base. The services get the fault drills' shortened
 * transaction timeout ({@link #TRANSACTION_TIMEOUT}); the other tests' transactions are short. The
 * data directory, with the services' logs under {@code logs/}, is kept when a test that used it
 * failed. Classes that use it name this extension.
 */
final class SharedPlatform implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /** Shortened from 60 s, so that the broker drill's outage outlasts it without a long wait. */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The documented setting that shortens the demo base's pretraining; the code path is the same.
   */
  static final String DEMO_BASE_STEPS = "30";

  /** The platform as it runs now, and what its supervisor has said since it started. */
  record Running(Platform platform, LaunchOptions options, List<String> supervision) {}

  private static final Map<String, String> SERVICE_ENVIRONMENT =
      Map.of(
          "QUARKUS_TRANSACTION_MANAGER_DEFAULT_TRANSACTION_TIMEOUT",
          TRANSACTION_TIMEOUT.toSeconds() + "s");

  private static Running running;
  private static Path dataDirectory;
  private static LaunchOptions options;
  private static boolean failed;

  /** The platform, started (on a new, empty data directory) if none runs. */
  static synchronized Running get() {
    if (running == null) {
      cleanUp();
      failed = false;
      try {
        dataDirectory = Files.createTempDirectory("rlhf-shared-platform-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      options = TestLaunches.onFreePorts(dataDirectory, "--demo-base-steps", DEMO_BASE_STEPS);
      running = start();
      TinyBase.pretrain(options.checkpointsDirectory());
    }
    return running;
  }

  /**
   * Stops the platform and keeps its data, for a test that checks what a stop leaves and then
   * {@link #startAgain}s it; answers the options it ran with.
   */
  static synchronized LaunchOptions stop() {
    if (running == null) throw new IllegalStateException("the shared platform is not running");
    running.platform().close();
    running = null;
    return options;
  }

  /** Starts the platform again on the data of its last {@link #stop}. */
  static synchronized Running startAgain() {
    if (running != null || options == null) {
      throw new IllegalStateException("the shared platform was not stopped");
    }
    running = start();
    return running;
  }

  /**
   * Stops the shared platform, if one runs, before a class starts services of its own. A later
   * class that needs it starts a new one.
   */
  static synchronized void stopForOwnServices() {
    try {
      if (running != null) running.platform().close();
    } finally {
      running = null;
      cleanUp();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
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
    List<String> supervision = new CopyOnWriteArrayList<>();
    try {
      return new Running(
          Platform.start(options, supervision::add, SERVICE_ENVIRONMENT), options, supervision);
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
  }

  /** Deletes the data directory, or says where it is kept when a test that used it failed. */
  private static void cleanUp() {
    Path directory = dataDirectory;
    dataDirectory = null;
    options = null;
    if (directory == null) return;
    if (failed) {
      System.out.println("the shared platform's data is kept (logs under logs/): " + directory);
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.out.println("the shared platform's data was not deleted: " + e.getMessage());
    }
  }
}
