package dev.rlhf.labeling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;

import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.events.kafka.WorkerHeartbeat;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class WorkerRegistryTest {

  @Test
  void shouldListAWorkerThatSendsHeartbeatsOverTheBroker() {
    try (EventPublisher publisher =
            new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test");
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(publisher, "reward-trainer", "cpu")) {
      heartbeat.start();

      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .auth()
                      .preemptive()
                      .basic("admin", "admin")
                      .get("/api/workers")
                      .then()
                      .statusCode(200)
                      .body("workerId", hasItem(heartbeat.workerId()))
                      .body("device", hasItem("cpu")));
    }
  }

  @Test
  void shouldReportHealthyWithDatabaseUp() {
    given().get("/q/health/ready").then().statusCode(200);
  }
}
