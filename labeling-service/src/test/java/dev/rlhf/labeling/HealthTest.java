package dev.rlhf.labeling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator's probes and dashboards read: the health checks and the metrics. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class HealthTest {

  private static final List<String> CONSUMERS =
      List.of(
          "labeling-service-arena",
          "labeling-service-completions",
          "labeling-service-reports",
          "labeling-service-training-cycles",
          "labeling-service-workers");

  @Test
  void shouldBeReadyOnlyWithItsDatabaseAndBrokerAndAliveWithEveryConsumerRunning() {
    JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
    assertThat(ready.getList("checks.name", String.class))
        .contains("Kafka broker", "Database connections health check");

    JsonPath live = given().get("/q/health/live").then().statusCode(200).extract().jsonPath();
    Map<String, String> consumers =
        live.getMap("checks.find { it.name == 'event consumers' }.data");
    assertThat(consumers).containsOnlyKeys(CONSUMERS);
    assertThat(consumers.values()).allMatch(state -> state.startsWith("running, lag "));
  }

  @Test
  void shouldExposeEachConsumersLivenessAndLagAndTheOutboxBacklogAsMetrics() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String metrics = given().get("/q/metrics").asString();
              for (String group : CONSUMERS) {
                assertThat(metrics)
                    .contains("rlhf_consumer_alive{group=\"" + group + "\"} 1.0")
                    .contains("rlhf_consumer_lag{group=\"" + group + "\"}");
              }
              assertThat(metrics).containsPattern("(?m)^rlhf_outbox_unsent [0-9]");
            });
  }
}
