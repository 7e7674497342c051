package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class CycleStreamTest {

  private String researcher;

  @BeforeEach
  void signUpAResearcher() {
    researcher = Researcher.account("researcher");
  }

  @Test
  void shouldStreamProgressLiveAndKeepItForAReloadOfThePage() throws Exception {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Tell a story");
    Labels.demonstrate(Researcher.contractor(), project);
    String cycle =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);

    CompletableFuture<List<String>> stream = openStream(cycle);
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.progress(run, 10, 300, Map.of("loss", 2.5), "Once upon a <b>time</b>");
      trainer.progress(run, 20, 300, Map.of("loss", 1.75), "Once upon a time there was");
      trainer.fail(run, "the trainer was stopped");
    }
    List<String> lines = stream.get(60, TimeUnit.SECONDS);

    String events =
        lines.stream()
            .map(l -> l.replaceFirst("^(\\w+): ", "$1:"))
            .collect(Collectors.joining("\n"));
    assertThat(events).contains("event:progress", "event:cycle", "event:end");
    assertThat(events).contains("\"step\":10", "\"loss\":2.5", "\"step\":20", "\"loss\":1.75");
    assertThat(events).contains("Once upon a <b>time</b>");
    assertThat(events).contains("SFT failed: the trainer was stopped");

    as(researcher)
        .get("/api/cycles/" + cycle + "/progress")
        .then()
        .statusCode(200)
        .body("step", equalTo(List.of(10, 20)))
        .body("metrics.loss", equalTo(List.of(2.5f, 1.75f)))
        .body("[1].samples[0]", equalTo("Once upon a time there was"));
  }

  @Test
  void shouldKeepASampleWithANulCharacterAndStillApplyWhatTheTrainerReportsAfterIt() {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Spell zero");
    Labels.demonstrate(Researcher.contractor(), project);
    String cycle =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);
    try (TrainerDouble trainer = new TrainerDouble()) {
      // A byte-level network can sample byte 0; PostgreSQL's jsonb cannot hold it.
      trainer.progress(run, 1, 2, Map.of("loss", 3.0), "ze\u0000ro");
      trainer.fail(run, "stopped");
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "FAILED"
                    .equals(
                        as(researcher).get("/api/cycles/" + cycle).then().extract().path("state")));
    as(researcher)
        .get("/api/cycles/" + cycle + "/progress")
        .then()
        .body("[0].samples[0]", equalTo("ze\uFFFDro"));
  }

  @Test
  void shouldResumeTheStreamAfterTheLastEventTheBrowserSaw() throws Exception {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Tell a joke");
    Labels.demonstrate(Researcher.contractor(), project);
    String cycle =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.SFT);
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.progress(run, 1, 2, Map.of("loss", 3.0), "first");
      trainer.progress(run, 2, 2, Map.of("loss", 2.0), "second");
      trainer.fail(run, "stopped");
    }
    org.awaitility.Awaitility.await()
        .until(
            () ->
                as(researcher).get("/api/cycles/" + cycle + "/progress").path("size()").equals(2));
    long firstId =
        ((Number) as(researcher).get("/api/cycles/" + cycle + "/progress").path("[0].id"))
            .longValue();

    HttpRequest request =
        streamRequest(cycle).header("Last-Event-ID", String.valueOf(firstId)).build();
    String events =
        String.join(
            "\n",
            HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines())
                .body()
                .toList());

    assertThat(events).contains("second").doesNotContain("first");
  }

  private CompletableFuture<List<String>> openStream(String cycle) {
    return HttpClient.newHttpClient()
        .sendAsync(streamRequest(cycle).build(), HttpResponse.BodyHandlers.ofLines())
        .thenApply(response -> response.body().toList());
  }

  private HttpRequest.Builder streamRequest(String cycle) {
    String credentials = researcher + ":" + Researcher.PASSWORD;
    return HttpRequest.newBuilder(
            URI.create("http://localhost:" + RestAssured.port + "/api/cycles/" + cycle + "/events"))
        .header("Accept", "text/event-stream")
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }
}
