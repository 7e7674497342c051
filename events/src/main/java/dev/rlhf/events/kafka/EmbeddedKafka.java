package dev.rlhf.events.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker running inside this JVM, for the run command and for tests. It
 * speaks the real protocol on 127.0.0.1, so services connect to it as to any broker.
 *
 * <p>In run mode the log directory is kept across restarts (events survive); for tests it is a
 * throw-away directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CLUSTER_ID = "rlhf-platform-local-01";

  /** SCRAM credentials a broker requires of its clients, as the compose stack's does. */
  public record ScramUser(String username, String password) {}

  private final KafkaRaftServer server;
  private final Path logDirectory;
  private final int port;
  private final int controllerPort;

  private EmbeddedKafka(KafkaRaftServer server, Path logDirectory, int port, int controllerPort) {
    this.server = server;
    this.logDirectory = logDirectory;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker whose log directory is kept across restarts. */
  public static EmbeddedKafka startPersistent(Path logDirectory, int port, int controllerPort) {
    return start(logDirectory, port, controllerPort);
  }

  /** Starts a throw-away broker on free ports. */
  public static EmbeddedKafka startForTests() {
    return startForTests(null);
  }

  /**
   * Starts a throw-away broker whose clients must sign in with SASL/SCRAM-SHA-512 as {@code user}
   * (the listener settings are those of the compose stack's broker); null: plaintext.
   */
  public static EmbeddedKafka startForTests(ScramUser user) {
    try {
      return start(Files.createTempDirectory("rlhf-kafka-test"), freePort(), freePort(), user);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmbeddedKafka start(Path logDirectory, int port, int controllerPort) {
    return start(logDirectory, port, controllerPort, null);
  }

  private static EmbeddedKafka start(
      Path logDirectory, int port, int controllerPort, ScramUser user) {
    try {
      Files.createDirectories(logDirectory);
      Properties properties = brokerProperties(logDirectory, port, controllerPort);
      if (user != null) requireScram(properties, port, user);
      if (!Files.exists(logDirectory.resolve("meta.properties"))) {
        format(logDirectory, properties, user);
      }
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
      server.startup();
      return new EmbeddedKafka(server, logDirectory, port, controllerPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties brokerProperties(Path logDirectory, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDirectory.toString());
    // One node: every replication factor and in-sync minimum is one.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    return p;
  }

  private static void requireScram(Properties p, int port, ScramUser user) {
    p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + "," + controllerListener(p));
    p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
    p.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user.username()
            + "\" password=\""
            + user.password()
            + "\";");
  }

  private static String controllerListener(Properties p) {
    for (String listener : p.getProperty("listeners").split(",")) {
      if (listener.startsWith("CONTROLLER://")) return listener;
    }
    throw new IllegalStateException("no controller listener");
  }

  private static void format(Path logDirectory, Properties properties, ScramUser user)
      throws IOException {
    Path config = Files.createTempFile("kraft", ".properties");
    try (var out = Files.newOutputStream(config)) {
      properties.store(out, "embedded KRaft node");
    }
    try {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "format", "-t", clusterUuid(), "-c", config.toString(), "--ignore-formatted"));
      if (user != null) {
        // SCRAM credentials of a KRaft cluster are written when its storage is formatted.
        args.addAll(
            List.of(
                "--add-scram",
                "SCRAM-SHA-512=[name=" + user.username() + ",password=" + user.password() + "]"));
      }
      StorageTool.execute(args.toArray(String[]::new), System.out);
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not format the Kafka log directory " + logDirectory, e);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  /** A fixed cluster id, so a kept log directory is always recognised as ours. */
  private static String clusterUuid() {
    byte[] bytes = CLUSTER_ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] sixteen = java.util.Arrays.copyOf(bytes, 16);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sixteen);
  }

  /**
   * Starts a new broker on this one's ports and log directory, with the events it kept; call after
   * {@link #close()} to simulate a broker outage and its recovery.
   */
  public EmbeddedKafka restart() {
    return start(logDirectory, port, controllerPort);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
