package dev.rlhf.launcher;

import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.events.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole platform on one machine: embedded PostgreSQL and Kafka in this JVM, and the four
 * services as child processes. Once everything is ready a {@link Supervisor} keeps PostgreSQL and
 * the services running. Closing it stops everything it started, restarts included, services first.
 */
public final class Platform implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final LaunchOptions options;
  private SupervisedDatabase database;
  private EmbeddedKafka kafka;
  private final List<ServiceProcess> services = new ArrayList<>();
  private Supervisor supervisor;

  private Platform(LaunchOptions options) {
    this.options = options;
  }

  /**
   * Starts everything and returns once every service is ready.
   *
   * @throws PortTakenException before starting anything, when a port is in use
   */
  public static Platform start(LaunchOptions options, Progress progress) {
    return start(options, progress, Map.of());
  }

  /**
   * Starts everything with {@code serviceEnvironment} added to every service's environment (the
   * fault drills shorten a timeout this way).
   */
  static Platform start(
      LaunchOptions options, Progress progress, Map<String, String> serviceEnvironment) {
    refuseDefaultPasswordOnTheNetwork(options);
    checkPortsFree(options);
    checkBaseCheckpoint(options);
    Platform platform = new Platform(options);
    try {
      platform.startAll(progress, serviceEnvironment);
      return platform;
    } catch (RuntimeException | Error e) {
      platform.close();
      throw e;
    } catch (Exception e) {
      platform.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Receives a line for each step, so the command line can show what is happening. */
  @FunctionalInterface
  public interface Progress {
    void step(String message);
  }

  private void startAll(Progress progress, Map<String, String> serviceEnvironment)
      throws Exception {
    Path data = options.dataDirectory();
    if (options.fresh()) deleteRecursively(data);
    Files.createDirectories(data);
    Files.createDirectories(options.checkpointsDirectory());
    linkBaseCheckpoint(options);
    if (!isLoopback(options.host())) {
      progress.step(
          "listening on "
              + options.host()
              + ": PostgreSQL and Kafka stay on 127.0.0.1 without passwords; on a machine others"
              + " share, run the compose stack instead");
    }

    progress.step("starting PostgreSQL on port " + options.postgresPort());
    database = SupervisedDatabase.start(data.resolve("postgres"), options.postgresPort());
    progress.step("starting Kafka on port " + options.kafkaPort());
    kafka =
        EmbeddedKafka.startPersistent(
            data.resolve("kafka"), options.kafkaPort(), options.kafkaControllerPort());

    Map<String, String> common = new HashMap<>(serviceEnvironment);
    common.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    common.put("CHECKPOINTS_DIR", options.checkpointsDirectory().toString());
    common.put("HTTP_HOST", options.host());
    String heap = System.getenv("JAVA_MAX_HEAP");
    if (heap != null) {
      common.put("JAVA_MAX_HEAP", heap);
    }
    Map<String, String> labeling = new HashMap<>(common);
    EmbeddedDatabase db = database.current();
    labeling.put("DATABASE_URL", db.jdbcUrl());
    labeling.put("DATABASE_USER", db.user());
    labeling.put("DATABASE_PASSWORD", db.password());
    labeling.put("ADMIN_USERNAME", options.adminUsername());
    labeling.put("ADMIN_PASSWORD", options.adminPassword());
    labeling.put("MODEL_RUNTIME_URL", "http://127.0.0.1:" + options.runtimePort());
    labeling.put("RUNTIME_SERVICE_KEY", runtimeServiceKey());

    Map<String, String> runtime = new HashMap<>(common);
    runtime.put("RUNTIME_SERVICE_KEY", runtimeServiceKey());
    if (options.baseCheckpoint() != null) {
      runtime.put("BASE_CHECKPOINT", options.baseCheckpoint().toString());
    }
    if (options.demoBaseSteps() > 0) {
      runtime.put("DEMO_BASE_STEPS", Integer.toString(options.demoBaseSteps()));
    }

    Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    environments.put("labeling-service", labeling);
    environments.put("model-runtime", runtime);
    environments.put("reward-trainer", common);
    environments.put("policy-trainer", common);
    Map<String, Integer> ports =
        Map.of(
            "labeling-service", options.labelingPort(),
            "model-runtime", options.runtimePort(),
            "reward-trainer", options.rewardTrainerPort(),
            "policy-trainer", options.policyTrainerPort());
    for (var entry : environments.entrySet()) {
      progress.step("starting " + entry.getKey() + " on port " + ports.get(entry.getKey()));
      services.add(
          ServiceProcess.start(
              entry.getKey(),
              ports.get(entry.getKey()),
              options.home(),
              options.logDirectory(),
              entry.getValue()));
    }
    for (ServiceProcess service : services) {
      service.awaitReady(Duration.ofSeconds(options.readyTimeoutSeconds()));
      progress.step(service.name() + " is ready");
    }
    List<Supervisor.Part> parts = new ArrayList<>(List.of(database));
    parts.addAll(services);
    supervisor = new Supervisor(parts, progress).start();
  }

  /**
   * The first admin's default password is public: a platform others can reach must not start with
   * it (labeling-service refuses too, for an admin account that still has it).
   */
  static void refuseDefaultPasswordOnTheNetwork(LaunchOptions options) {
    if (!isLoopback(options.host()) && options.adminPassword().equals("admin")) {
      throw new IllegalArgumentException(
          "--host "
              + options.host()
              + " opens the platform to the network, but the first admin's password is the public"
              + " default; give --admin-password (12 characters or more) or ADMIN_PASSWORD");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Versions are named, never given by path: a base checkpoint outside the checkpoints directory is
   * linked into it under its directory name, so a first training cycle can name it.
   */
  static void linkBaseCheckpoint(LaunchOptions options) throws IOException {
    Path base = options.baseCheckpoint();
    Path checkpoints = options.checkpointsDirectory();
    if (base == null || base.getParent().equals(checkpoints)) return;
    Path link = checkpoints.resolve(base.getFileName());
    if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(base)) return;
    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "--base-checkpoint "
              + base
              + ": the checkpoints directory already has another "
              + link.getFileName()
              + "; rename one of them");
    }
    Files.createSymbolicLink(link, base);
  }

  /** The key the platform's services call the model runtime with; an operator's own wins. */
  public String runtimeServiceKey() {
    String own = System.getenv("RUNTIME_SERVICE_KEY");
    return own != null && !own.isBlank()
        ? own
        : SecretFile.in(options.dataDirectory(), SecretFile.RUNTIME_KEY);
  }

  static void checkPortsFree(LaunchOptions options) {
    for (var port : options.ports().entrySet()) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port.getValue()));
      } catch (IOException e) {
        throw new PortTakenException(port.getKey(), port.getValue());
      }
    }
  }

  /** A base checkpoint that is not there would only show as a runtime that never gets ready. */
  static void checkBaseCheckpoint(LaunchOptions options) {
    Path base = options.baseCheckpoint();
    if (base != null && !Files.isDirectory(base)) {
      throw new IllegalArgumentException(
          "--base-checkpoint " + base + " is not a directory; give a checkpoint directory");
    }
  }

  public String labelingUrl() {
    return "http://127.0.0.1:" + options.labelingPort();
  }

  public String runtimeUrl() {
    return "http://127.0.0.1:" + options.runtimePort();
  }

  /** What model-runtime reports of its base network now, if it can be read. */
  public Optional<BaseNetworkStatus> runtimeBase() {
    return BaseNetworkStatus.read(runtimeUrl());
  }

  public Path runtimeLog() {
    return options.logDirectory().resolve("model-runtime.log");
  }

  public Map<String, String> serviceUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    services.forEach(s -> urls.put(s.name(), s.url()));
    return urls;
  }

  /** Process ids of the service JVMs, for checking that nothing outlives a stop. */
  public List<Long> servicePids() {
    return services.stream().map(ServiceProcess::pid).toList();
  }

  public String jdbcUrl() {
    return database.current().jdbcUrl();
  }

  /**
   * The operating-system process of a part ("PostgreSQL" or a service's name), as it runs now; for
   * the fault drills, which kill it.
   */
  Optional<ProcessHandle> process(String part) {
    if (part.equals(database.name())) return database.process();
    return services.stream()
        .filter(s -> s.name().equals(part))
        .findFirst()
        .flatMap(s -> ProcessHandle.of(s.pid()));
  }

  /** Takes the broker away (for the fault drills: an outage); {@link #startBroker} ends it. */
  void stopBroker() {
    kafka.close();
  }

  /** Starts the broker again on its ports and log, with every event it had. */
  void startBroker() {
    kafka = kafka.restart();
  }

  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public void close() {
    // Nothing may be restarted while it stops.
    if (supervisor != null) supervisor.close();
    // Services first (they flush to Kafka and PostgreSQL), then the broker, then the database.
    services.parallelStream().forEach(s -> s.stop(STOP_GRACE));
    services.clear();
    if (kafka != null) {
      quietly("Kafka", kafka::close);
      kafka = null;
    }
    if (database != null) {
      quietly("PostgreSQL", database::close);
      database = null;
    }
  }

  /** Ctrl-C reaches every process of the terminal; a part may already be stopping. */
  private static void quietly(String what, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      System.err.println(what + " stopped with: " + e.getMessage());
    }
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) return;
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Platform::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port the platform needs is already in use. */
  public static final class PortTakenException extends RuntimeException {
    PortTakenException(String what, int port) {
      super(
          "port "
              + port
              + " for "
              + what
              + " is already in use; stop whatever uses it (./run.sh stop, if it is an earlier"
              + " run) or choose another port with the option in brackets");
    }
  }
}
