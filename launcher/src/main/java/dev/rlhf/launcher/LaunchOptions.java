package dev.rlhf.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the run command was asked to do. Every port and directory has a default so that {@code
 * ./run.sh} alone runs the whole platform; flags override them.
 *
 * @param baseCheckpoint the checkpoint model-runtime serves until a version is promoted; null: the
 *     demo base, pretrained on the first start
 * @param host the address the four services listen on: loopback unless asked, since the first
 *     admin's default password is public
 * @param demoBaseSteps pretraining steps of the demo base when a first start makes it; 0: the full
 *     run
 */
public record LaunchOptions(
    Command command,
    Path home,
    Path dataDirectory,
    boolean fresh,
    int labelingPort,
    int runtimePort,
    int rewardTrainerPort,
    int policyTrainerPort,
    int postgresPort,
    int kafkaPort,
    int kafkaControllerPort,
    String adminUsername,
    String adminPassword,
    int readyTimeoutSeconds,
    Path baseCheckpoint,
    String host,
    int demoBaseSteps) {

  /** start runs the platform in the foreground until Ctrl-C; stop ends a running one. */
  public enum Command {
    START,
    STOP,
    HELP
  }

  public static final String USAGE =
      """
      Usage: ./run.sh [start] [options]     run the whole platform until Ctrl-C
             ./run.sh stop [--data-dir DIR]  stop a platform started from another terminal

      Options:
        --fresh                 delete all data (database, broker log, checkpoints) first
        --data-dir DIR          where data and logs live            (default: .run)
        --labeling-port N       labeling-service and the web UI      (default: 8080)
        --runtime-port N        model-runtime (OpenAI-compatible)    (default: 8081)
        --reward-port N         reward-trainer health and metrics    (default: 8082)
        --policy-port N         policy-trainer health and metrics    (default: 8083)
        --postgres-port N       embedded PostgreSQL                  (default: 15432)
        --kafka-port N          embedded Kafka broker                (default: 19092)
        --kafka-controller-port N  its KRaft controller              (default: 19093)
        --admin-user NAME --admin-password PW   the first admin account (default: admin/admin)
        --host ADDRESS          where the services listen; 0.0.0.0 for every interface
                                                   (default: 127.0.0.1, env: HTTP_HOST)
        --ready-timeout SECONDS how long to wait for every service   (default: 150)
        --base-checkpoint DIR   serve this checkpoint until a version is promoted, instead
                                of pretraining the demo base      (env: BASE_CHECKPOINT)
        --demo-base-steps N     pretrain the demo base for N steps instead of 800 when a
                                first start makes it: a weaker base, sooner; it is kept
                                and reused as it is              (env: DEMO_BASE_STEPS)
        --rebuild               build the platform again before starting it
      Relative directories are taken from the checkout. Env JAVA_MAX_HEAP: each service's heap
      (default: 1g).
      """;

  public static LaunchOptions parse(String[] args, Path home, Map<String, String> env) {
    Command command = Command.START;
    Path data = home.resolve(env.getOrDefault("RLHF_DATA_DIR", ".run"));
    boolean fresh = false;
    int labeling = 8080, runtime = 8081, reward = 8082, policy = 8083;
    int postgres = 15432, kafka = 19092, controller = 19093;
    String adminUser = env.getOrDefault("ADMIN_USERNAME", "admin");
    String adminPassword = env.getOrDefault("ADMIN_PASSWORD", "admin");
    int readyTimeout = 150;
    String host = env.getOrDefault("HTTP_HOST", "127.0.0.1");
    String baseFromEnv = env.getOrDefault("BASE_CHECKPOINT", "");
    Path baseCheckpoint = baseFromEnv.isBlank() ? null : home.resolve(baseFromEnv);
    String stepsFromEnv = env.getOrDefault("DEMO_BASE_STEPS", "");
    int demoBaseSteps = stepsFromEnv.isBlank() ? 0 : positive("DEMO_BASE_STEPS", stepsFromEnv);
    List<String> rest = new ArrayList<>(List.of(args));
    if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
      command =
          switch (rest.remove(0)) {
            case "start" -> Command.START;
            case "stop" -> Command.STOP;
            case "help" -> Command.HELP;
            default -> throw new IllegalArgumentException("unknown command: " + args[0]);
          };
    }
    for (int i = 0; i < rest.size(); i++) {
      String flag = rest.get(i);
      switch (flag) {
        case "--fresh" -> fresh = true;
        case "-h", "--help" -> command = Command.HELP;
        default -> {
          if (i + 1 >= rest.size()) throw new IllegalArgumentException(flag + " needs a value");
          String value = rest.get(++i);
          switch (flag) {
            case "--data-dir" -> data = home.resolve(value);
            case "--labeling-port" -> labeling = port(flag, value);
            case "--runtime-port" -> runtime = port(flag, value);
            case "--reward-port" -> reward = port(flag, value);
            case "--policy-port" -> policy = port(flag, value);
            case "--postgres-port" -> postgres = port(flag, value);
            case "--kafka-port" -> kafka = port(flag, value);
            case "--kafka-controller-port" -> controller = port(flag, value);
            case "--admin-user" -> adminUser = value;
            case "--admin-password" -> adminPassword = value;
            case "--ready-timeout" -> readyTimeout = positive(flag, value);
            case "--host" -> host = value;
            case "--base-checkpoint" -> baseCheckpoint = home.resolve(value);
            case "--demo-base-steps" -> demoBaseSteps = positive(flag, value);
            default -> throw new IllegalArgumentException("unknown option: " + flag);
          }
        }
      }
    }
    return new LaunchOptions(
        command,
        home,
        data.toAbsolutePath().normalize(),
        fresh,
        labeling,
        runtime,
        reward,
        policy,
        postgres,
        kafka,
        controller,
        adminUser,
        adminPassword,
        readyTimeout,
        baseCheckpoint == null ? null : baseCheckpoint.toAbsolutePath().normalize(),
        host,
        demoBaseSteps);
  }

  private static int positive(String flag, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number < 1) throw new NumberFormatException();
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a positive number, not " + value);
    }
  }

  private static int port(String flag, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 1 || port > 65535) throw new NumberFormatException();
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a port number (1-65535), not " + value);
    }
  }

  /** Every port this run will listen on, named for the error message when one is taken. */
  public Map<String, Integer> ports() {
    return Map.of(
        "labeling-service (--labeling-port)", labelingPort,
        "model-runtime (--runtime-port)", runtimePort,
        "reward-trainer (--reward-port)", rewardTrainerPort,
        "policy-trainer (--policy-port)", policyTrainerPort,
        "PostgreSQL (--postgres-port)", postgresPort,
        "Kafka (--kafka-port)", kafkaPort,
        "Kafka controller (--kafka-controller-port)", kafkaControllerPort);
  }

  public Path logDirectory() {
    return dataDirectory.resolve("logs");
  }

  public Path checkpointsDirectory() {
    return dataDirectory.resolve("checkpoints");
  }

  public Path pidFile() {
    return dataDirectory.resolve("platform.pid");
  }
}
