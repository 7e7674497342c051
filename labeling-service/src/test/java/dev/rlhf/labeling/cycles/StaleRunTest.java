package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs whose trainer died for good: the watchdog fails them with the reason, and a researcher
 * retries the cycle on the same labels. The watchdog is called with a clock set ahead, so the test
 * never waits for the stale limit.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class StaleRunTest {

  @Inject StaleRunWatchdog watchdog;

  private String researcher;
  private String project;

  @BeforeEach
  void demonstrations() {
    researcher = Researcher.account("researcher");
    project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "What is 3+4?", "Name a bird");
    Labels.demonstrate(Researcher.contractor(), project);
  }

  @Test
  void shouldFailARunNoTrainerTookSayWhyAndLetTheResearcherRetryItOnTheSameLabels() {
    String cycle = startSft();
    TrainingRunRequested first = TrainerDouble.command(cycle, TrainingStage.SFT);

    assertThat(watchdog.failStale(Instant.now().plus(Duration.ofMinutes(30))))
        .contains(first.runId());

    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("state", equalTo("FAILED"))
        .body("failureReason", startsWith("SFT failed: no trainer took the run within 600 s"))
        .body("runs[0].state", equalTo("FAILED"));
    // Should its trainer come back, it is told to drop the run.
    TrainerDouble.await(
        Topic.TRAINING_COMMANDS,
        TrainingRunCancelled.class,
        c -> c.runId().equals(first.runId()),
        1);

    String retry =
        as(researcher)
            .post("/api/cycles/" + cycle + "/retry")
            .then()
            .statusCode(201)
            .body("state", equalTo("RUNNING"))
            .body("retryOf", equalTo(cycle))
            .body("snapshot.demonstrations", equalTo(2))
            .extract()
            .path("id");
    TrainingRunRequested again = TrainerDouble.command(retry, TrainingStage.SFT);
    assertThat(again.runId()).isNotEqualTo(first.runId());
    assertThat(again.baseVersion()).isEqualTo(first.baseVersion());
    assertThat(again.hyperParameters()).isEqualTo(first.hyperParameters());
    assertThat(again.labelEventIds()).containsExactlyInAnyOrderElementsOf(first.labelEventIds());
    as(researcher).post("/api/cycles/" + retry + "/retry").then().statusCode(409);
  }

  @Test
  void shouldKeepARunItsTrainerNamesInHeartbeatsAndFailItOnceTheTrainerFallsSilent() {
    String cycle = startSft();
    UUID run = TrainerDouble.command(cycle, TrainingStage.SFT).runId();
    Instant beat = Instant.now();
    String worker = "policy-trainer@" + UUID.randomUUID();
    try (EventPublisher publisher =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "heartbeats")) {
      publisher.publishAndWait(
          new WorkerHeartbeatReported(
              UUID.randomUUID(), beat, worker, "policy-trainer", "cpu", beat, List.of(run)));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                worker.equals(as(researcher).get("/api/cycles/" + cycle).path("runs[0].workerId")));

    assertThat(watchdog.failStale(beat.plus(Duration.ofMinutes(9)))).doesNotContain(run);
    as(researcher).get("/api/cycles/" + cycle).then().body("state", equalTo("RUNNING"));

    assertThat(watchdog.failStale(beat.plus(Duration.ofMinutes(11)))).contains(run);
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("state", equalTo("FAILED"))
        .body("failureReason", startsWith("SFT failed: its trainer " + worker + " stopped"));
  }

  private String startSft() {
    return as(researcher)
        .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"))
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
