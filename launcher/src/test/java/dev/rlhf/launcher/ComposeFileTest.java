package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.Topic;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack keeps running what it runs and opens nothing without a secret: read from
 * docker-compose.yml itself (anchors resolved), since no Docker engine is at hand in CI; {@code
 * docker-compose config} checks its syntax there.
 */
class ComposeFileTest {

  private static final List<String> SERVICES =
      List.of("labeling-service", "model-runtime", "reward-trainer", "policy-trainer");

  private final Map<String, Map<String, Object>> services = read();

  /** Containers that run once and end: started again only when they failed. */
  private static final List<String> ONE_SHOT = List.of("kafka-topics");

  @Test
  void shouldStartEveryContainerAgainWhenItExits() {
    assertThat(services)
        .containsKeys("postgres", "kafka")
        .containsKeys(SERVICES.toArray(String[]::new));
    services.forEach(
        (name, service) ->
            assertThat(service.get("restart"))
                .as(name)
                .isEqualTo(ONE_SHOT.contains(name) ? "on-failure" : "unless-stopped"));
  }

  @Test
  void shouldCreateEveryTopicWithThePartitionsItsReadersAllow() {
    Map<String, String> init = environment("kafka-topics");
    List<String> perKey = List.of(init.get("RLHF_PER_KEY_TOPICS").split("\\s+"));
    List<String> wholeTopic = List.of(init.get("RLHF_WHOLE_TOPIC_TOPICS").split("\\s+"));

    for (Topic topic : Topic.values()) {
      assertThat(topic.partitionable() ? perKey : wholeTopic)
          .as(topic.topicName())
          .contains(topic.topicName());
    }
    assertThat(perKey.size() + wholeTopic.size()).isEqualTo(Topic.values().length);
    // More than one partition by default, so that replicas in one consumer group share the work.
    assertThat(init.get("RLHF_PARTITIONS")).matches("\\$\\{KAFKA_PARTITIONS:-([2-9]|[1-9][0-9]+)}");
    assertThat(init.get("RLHF_KAFKA_PASSWORD")).startsWith("${KAFKA_PASSWORD:?");
    // No service starts (and so no client makes a topic with the broker's default of one
    // partition) before the topics are there.
    for (String service : SERVICES) {
      @SuppressWarnings("unchecked")
      Map<String, Object> dependsOn = (Map<String, Object>) services.get(service).get("depends_on");
      assertThat(dependsOn)
          .as(service)
          .containsEntry("kafka-topics", Map.of("condition", "service_completed_successfully"));
    }
  }

  @Test
  void shouldAcknowledgeACommitOnlyOnceItIsOnDisk() {
    @SuppressWarnings("unchecked")
    List<String> command = (List<String>) services.get("postgres").get("command");
    assertThat(command)
        .contains("fsync=on", "synchronous_commit=on", "full_page_writes=on")
        .noneMatch(argument -> argument.endsWith("=off"));
  }

  @Test
  void shouldProbeLivenessAndReadinessOfEveryService() {
    for (String service : SERVICES) {
      Map<?, ?> healthcheck = (Map<?, ?>) services.get(service).get("healthcheck");
      // /q/health is every check: a dependency away and a consumer thread that ended both fail it.
      assertThat(healthcheck.get("test").toString()).as(service).contains("GET /q/health HTTP/1.0");
    }
  }

  @Test
  void shouldPublishTheRuntimeOnThisMachineOnlyAndNeverWithoutItsKey() {
    Map<String, Object> runtime = services.get("model-runtime");

    assertThat((List<?>) runtime.get("ports"))
        .singleElement()
        .asString()
        .startsWith("${RUNTIME_BIND:-127.0.0.1}:");
    // ${NAME:?...}: compose refuses to start without it, rather than fall back to a known value.
    assertThat(environment("model-runtime").get("RUNTIME_SERVICE_KEY"))
        .startsWith("${RUNTIME_SERVICE_KEY:?");
    assertThat(environment("labeling-service").get("RUNTIME_SERVICE_KEY"))
        .startsWith("${RUNTIME_SERVICE_KEY:?");
    for (String worker : List.of("reward-trainer", "policy-trainer")) {
      assertThat(services.get(worker)).as(worker).doesNotContainKey("ports");
    }
  }

  @Test
  void shouldRequireTheAdminPasswordInsteadOfADefault() {
    assertThat(environment("labeling-service").get("ADMIN_PASSWORD"))
        .startsWith("${ADMIN_PASSWORD:?");
  }

  @Test
  void shouldAdmitKafkaClientsOnlyWithScram() {
    Map<String, String> broker = environment("kafka");
    assertThat(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
        .isEqualTo("CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    // The controller listener (plaintext) is named, never advertised to clients.
    assertThat(broker.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("SASL_PLAINTEXT://kafka:9092");
    assertThat(broker.get("KAFKA_SASL_ENABLED_MECHANISMS")).isEqualTo("SCRAM-SHA-512");
    assertThat(broker.get("RLHF_KAFKA_PASSWORD")).startsWith("${KAFKA_PASSWORD:?");
    assertThat(services.get("kafka")).doesNotContainKey("ports");
    for (String service : SERVICES) {
      Map<String, String> client = environment(service);
      assertThat(client.get("KAFKA_SECURITY_PROTOCOL")).as(service).isEqualTo("SASL_PLAINTEXT");
      assertThat(client.get("KAFKA_SASL_MECHANISM")).as(service).isEqualTo("SCRAM-SHA-512");
      assertThat(client.get("KAFKA_SASL_PASSWORD")).as(service).startsWith("${KAFKA_PASSWORD:?");
    }
  }

  /** A service's environment, its anchors merged in, every value as compose reads it: text. */
  private Map<String, String> environment(String service) {
    Map<String, String> environment = new TreeMap<>();
    ((Map<?, ?>) services.get(service).get("environment"))
        .forEach((name, value) -> environment.put(name.toString(), String.valueOf(value)));
    return environment;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> read() {
    Path compose = Path.of("").toAbsolutePath().getParent().resolve("docker-compose.yml");
    try (Reader reader = Files.newBufferedReader(compose)) {
      Map<String, Object> file = new Yaml().load(reader);
      return (Map<String, Map<String, Object>>) file.get("services");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
