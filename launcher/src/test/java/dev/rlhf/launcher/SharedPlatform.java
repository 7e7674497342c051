package dev.rlhf.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One packaged platform, started as {@code ./run.sh} starts it on a newcomer's machine (an empty
 * data directory, no base checkpoint: model-runtime prepares the demo base, {@value
 * #DEMO_BASE_STEPS} steps), for the test classes that can use it one after another without getting
 * in each other's way: {@code PlatformSmokeIT} (which stops it and starts it again), {@code
 * ClosedLoopIT} and {@code FaultDrillsIT}. Each works in projects of its own, and every fault drill
 * ends with the part it killed started again. It is started by the first test that asks for it and
 * runs until the test run ends or another stack starts ({@link SharedStacks}).
 *
 * <p>Once it runs, the tiny base ({@link TinyBase}) is pretrained into its checkpoints: the
 * training cycles of the tests name it as their base. The services get the fault drills' shortened
 * transaction timeout ({@link #TRANSACTION_TIMEOUT}); the other tests' transactions are short.
 */
final class SharedPlatform {

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
  private static SharedStacks.DataDirectory data;
  private static LaunchOptions options;

  private SharedPlatform() {}

  /** The platform, started (on a new, empty data directory) if none runs. */
  static synchronized Running get() {
    if (running == null) {
      stopForOwnServices();
      SharedReplicas.stopForOwnServices();
      data = SharedStacks.DataDirectory.create("rlhf-shared-platform-");
      options = TestLaunches.onFreePorts(data.path(), "--demo-base-steps", DEMO_BASE_STEPS);
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
   * Stops the shared platform, if one runs, before a class starts services of its own, and deletes
   * its data. A later class that needs it starts a new one.
   */
  static synchronized void stopForOwnServices() {
    try {
      if (running != null) running.platform().close();
    } finally {
      running = null;
      options = null;
      if (data != null) data.close();
      data = null;
    }
  }

  private static Running start() {
    List<String> supervision = new CopyOnWriteArrayList<>();
    try {
      return new Running(
          Platform.start(options, supervision::add, SERVICE_ENVIRONMENT), options, supervision);
    } catch (RuntimeException | Error e) {
      data.keep();
      throw e;
    }
  }
}
