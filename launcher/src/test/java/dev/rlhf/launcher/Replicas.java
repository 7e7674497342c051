package dev.rlhf.launcher;

import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.events.Topic;
import dev.rlhf.events.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One PostgreSQL, one broker, and the packaged services started as separate JVMs, several of a kind
 * where a test asks, the way a scaled-out deployment runs them: replicas share nothing but the
 * database, the broker and the checkpoints directory. The topics are made before any service
 * starts, with {@code partitions} partitions each where their order allows (as the compose stack's
 * {@code kafka-topics} container and the Kubernetes {@code KafkaTopic}s do).
 */
final class Replicas implements AutoCloseable {

  static final Duration READY = Duration.ofSeconds(300);

  private final Path home = Path.of("").toAbsolutePath().getParent();
  private final Path directory;
  private final EmbeddedDatabase database;
  private final EmbeddedKafka kafka;
  private final List<ServiceProcess> services = new ArrayList<>();

  private Replicas(Path directory, int partitions) {
    this.directory = directory;
    this.database = EmbeddedDatabase.startForTests();
    EmbeddedKafka broker = null;
    try {
      broker = EmbeddedKafka.startForTests();
      createTopics(broker.bootstrapServers(), partitions);
    } catch (RuntimeException e) {
      if (broker != null) broker.close();
      database.close();
      throw e;
    }
    this.kafka = broker;
  }

  static Replicas start(Path directory, int partitions) {
    return new Replicas(directory, partitions);
  }

  /**
   * Starts one more instance of {@code module} on a free port with the platform's common settings
   * and {@code environment}; it is not awaited (see {@link #awaitReady}).
   */
  ServiceProcess add(String module, String instance, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("CHECKPOINTS_DIR", directory.resolve("checkpoints").toString());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("RUNTIME_SERVICE_KEY", "replicas-test-runtime-key-of-32-characters-or-more");
    env.put("JAVA_MAX_HEAP", "512m");
    if (module.equals("labeling-service")) {
      env.put("DATABASE_URL", database.jdbcUrl());
      env.put("DATABASE_USER", database.user());
      env.put("DATABASE_PASSWORD", database.password());
      env.put("DATABASE_POOL_SIZE", "12");
    }
    env.putAll(environment);
    try {
      ServiceProcess service =
          ServiceProcess.start(
              module, freePort(), home, directory.resolve("logs").resolve(instance), env);
      services.add(service);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void awaitReady(List<ServiceProcess> services) throws InterruptedException {
    for (ServiceProcess service : services) service.awaitReady(READY);
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  EmbeddedDatabase database() {
    return database;
  }

  Path checkpoints() {
    return directory.resolve("checkpoints");
  }

  @Override
  public void close() {
    services.parallelStream().forEach(s -> s.stop(Duration.ofSeconds(10)));
    kafka.close();
    database.close();
  }

  private static void createTopics(String bootstrapServers, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(
          new NewTopic(topic.topicName(), topic.partitionable() ? partitions : 1, (short) 1));
    }
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the topics", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
