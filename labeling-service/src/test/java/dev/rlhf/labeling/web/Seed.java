package dev.rlhf.labeling.web;

import static io.restassured.RestAssured.given;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.service.CompletionRequestService;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The data the browser tests start from, made through the HTTP API as a researcher would. */
final class Seed {

  static final String PASSWORD = "correct horse";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private Seed() {}

  static String unique(String prefix) {
    return prefix
        + "-"
        + SEQUENCE.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  static RequestSpecification as(String username) {
    return given().auth().preemptive().basic(username, PASSWORD).contentType(ContentType.JSON);
  }

  static String user(String role) {
    String username = unique(role);
    given()
        .auth()
        .preemptive()
        .basic("admin", "admin")
        .contentType(ContentType.JSON)
        .body(Map.of("username", username, "password", PASSWORD, "roles", List.of(role)))
        .post("/api/admin/users")
        .then()
        .statusCode(201);
    return username;
  }

  static String project(String researcher, String guidelines) {
    return as(researcher)
        .body(Map.of("name", unique("Project"), "guidelines", guidelines, "rankingOverlap", 1))
        .post("/api/projects")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Imports one prompt per text; each opens a task of the given type (or none with NONE). */
  static List<String> prompts(String researcher, String project, String tasks, String... texts) {
    StringBuilder jsonl = new StringBuilder();
    for (String text : texts) {
      jsonl.append(json(Map.of("prompt", text, "tags", List.of("browser-test")))).append('\n');
    }
    return given()
        .auth()
        .preemptive()
        .basic(researcher, PASSWORD)
        .contentType("application/x-ndjson")
        .queryParam("tasks", tasks)
        .body(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import")
        .then()
        .statusCode(200)
        .extract()
        .path("promptIds");
  }

  /**
   * A ranking task: the researcher requests completions over HTTP, and the answer the model runtime
   * would send over Kafka is handed to the service's handler (no runtime runs in these tests).
   */
  static void rankingTask(String researcher, String project, String prompt, String... texts) {
    String requestId =
        as(researcher)
            .body(Map.of("promptIds", List.of(prompt), "k", texts.length))
            .post("/api/projects/" + project + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("[0].requestId");
    Arc.container()
        .instance(CompletionRequestService.class)
        .get()
        .accept(
            new CompletionsGenerated(
                UUID.randomUUID(),
                Instant.now(),
                UUID.fromString(requestId),
                UUID.fromString(prompt),
                "policy-v1",
                SamplingSettings.defaults(),
                Arrays.stream(texts)
                    .map(t -> new CompletionsGenerated.GeneratedCompletion(t, 4, "stop"))
                    .toList(),
                "ranking"));
  }

  /** The project's labels as the data browser reads them, newest first. */
  static JsonPath labels(String researcher, String project) {
    return as(researcher)
        .queryParam("project", project)
        .get("/api/labels")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
