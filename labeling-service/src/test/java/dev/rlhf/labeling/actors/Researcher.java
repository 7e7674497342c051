package dev.rlhf.labeling.actors;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.EventCodec;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A researcher (and the admin who signs people up) through the HTTP API only: what the cycle,
 * registry and arena tests and the platform's end-to-end test (launcher) need. Requests go to
 * RestAssured's configured base URI.
 */
public final class Researcher {

  public static final String PASSWORD = "correct horse battery";

  private Researcher() {}

  /** Creates an account with the given role; returns its name. */
  public static String account(String role) {
    String username = role + "-" + UUID.randomUUID().toString().substring(0, 8);
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

  public static ScriptedContractor contractor() {
    return ScriptedContractor.logIn(account("contractor"), PASSWORD);
  }

  public static RequestSpecification as(String username) {
    return given().auth().preemptive().basic(username, PASSWORD).contentType(ContentType.JSON);
  }

  /** A project with one answer wanted per demonstration and {@code rankingOverlap} per ranking. */
  public static String project(String researcher, int rankingOverlap) {
    return project(researcher, 1, rankingOverlap);
  }

  /** A project wanting the given numbers of answers per demonstration and per ranking. */
  public static String project(String researcher, int demonstrationOverlap, int rankingOverlap) {
    return as(researcher)
        .body(
            Map.of(
                "name",
                "project-" + UUID.randomUUID(),
                "guidelines",
                "# Be helpful, truthful and harmless",
                "demonstrationOverlap",
                demonstrationOverlap,
                "rankingOverlap",
                rankingOverlap))
        .post("/api/projects")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Imports prompts; with demonstrations each opens a demonstration task. */
  public static List<String> prompts(
      String researcher, String projectId, boolean demonstrations, String... texts) {
    return prompts(researcher, projectId, demonstrations ? "DEMONSTRATION" : "NONE", texts);
  }

  /**
   * Imports prompts, one per text, each opening a task of the given type (or NONE). The texts may
   * hold anything (quotes, markup for the cross-site-scripting tests): the rows are written by a
   * JSON writer.
   */
  public static List<String> prompts(
      String researcher, String projectId, String tasks, String... texts) {
    return importPrompts(researcher, projectId, tasks, "skip", texts);
  }

  /**
   * As {@link #prompts(String, String, boolean, String...)}, storing a text the project already has
   * again (the import's duplicates=keep): for a closed world whose questions recur.
   */
  public static List<String> repeatedPrompts(
      String researcher, String projectId, boolean demonstrations, String... texts) {
    return importPrompts(
        researcher, projectId, demonstrations ? "DEMONSTRATION" : "NONE", "keep", texts);
  }

  private static List<String> importPrompts(
      String researcher, String projectId, String tasks, String duplicates, String... texts) {
    StringBuilder jsonl = new StringBuilder();
    for (String text : texts) {
      jsonl.append(json(Map.of("prompt", text, "source", "test"))).append('\n');
    }
    return given()
        .auth()
        .preemptive()
        .basic(researcher, PASSWORD)
        .contentType("application/x-ndjson")
        .body(jsonl.toString().getBytes(StandardCharsets.UTF_8))
        .queryParam("tasks", tasks)
        .queryParam("duplicates", duplicates)
        .post("/api/projects/" + projectId + "/prompts/import")
        .then()
        .log()
        .ifValidationFails()
        .statusCode(200)
        .extract()
        .path("promptIds");
  }

  /** One value as JSON text. */
  public static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
