package dev.rlhf.labeling;

import static io.restassured.RestAssured.given;

import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.service.CompletionRequestService;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API as the tests' users call it: real accounts, basic auth, JSON. Public for the browser
 * tests, which seed their data the same way.
 */
public final class LabelingApi {

  public static final String PASSWORD = Researcher.PASSWORD;
  public static final String SESSION_COOKIE = "rlhf-session";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private LabelingApi() {}

  public static String unique(String prefix) {
    return prefix
        + "-"
        + SEQUENCE.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public static RequestSpecification admin() {
    return given().auth().preemptive().basic("admin", "admin").contentType(ContentType.JSON);
  }

  public static RequestSpecification as(String username) {
    return given().auth().preemptive().basic(username, PASSWORD).contentType(ContentType.JSON);
  }

  /** Signs in with the login form as the web page does; returns the session cookie's value. */
  public static String signIn(String username, String password) {
    return given()
        .contentType(ContentType.URLENC)
        .header("X-Requested-With", "test")
        .formParam("j_username", username)
        .formParam("j_password", password)
        .post("/j_security_check")
        .then()
        .statusCode(200)
        .extract()
        .cookie(SESSION_COOKIE);
  }

  /** A request as the signed-in browser makes it: the cookie, its own origin, JSON. */
  public static RequestSpecification withSession(String cookie) {
    return given()
        .cookie(SESSION_COOKIE, cookie)
        .header("Origin", origin())
        .contentType(ContentType.JSON);
  }

  /** The service's origin, as a browser on its pages sends it. */
  public static String origin() {
    return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
  }

  /** Creates an account with the given roles and returns its username. */
  public static String user(String... roles) {
    String username = unique(roles.length == 0 ? "user" : roles[0]);
    admin()
        .body(Map.of("username", username, "password", PASSWORD, "roles", List.of(roles)))
        .post("/api/admin/users")
        .then()
        .statusCode(201);
    return username;
  }

  public static String project(String researcher, int demonstrationOverlap, int rankingOverlap) {
    return Researcher.project(researcher, demonstrationOverlap, rankingOverlap);
  }

  /** Imports prompts, one per text, each opening a task of the given type (or NONE). */
  public static List<String> prompts(
      String researcher, String projectId, String tasks, String... texts) {
    return Researcher.prompts(researcher, projectId, tasks, texts);
  }

  /** One value as JSON text. */
  public static String json(Object value) {
    return Researcher.json(value);
  }

  /**
   * Requests completions of a prompt and answers the request as the runtime would (the answer is
   * handed to the consumer's handler directly; the Kafka path has its own test).
   */
  public static void rankingTask(
      String researcher, String projectId, String promptId, String... texts) {
    String requestId =
        as(researcher)
            .body(Map.of("promptIds", List.of(promptId), "k", Math.max(2, texts.length)))
            .post("/api/projects/" + projectId + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("[0].requestId");
    Arc.container()
        .instance(CompletionRequestService.class)
        .get()
        .accept(completionsFor(requestId, promptId, texts));
  }

  public static CompletionsGenerated completionsFor(
      String requestId, String promptId, String... texts) {
    return new CompletionsGenerated(
        UUID.randomUUID(),
        Instant.now(),
        UUID.fromString(requestId),
        UUID.fromString(promptId),
        "policy-v1",
        SamplingSettings.defaults(),
        Arrays.stream(texts)
            .map(t -> new CompletionsGenerated.GeneratedCompletion(t, 4, "stop"))
            .toList(),
        "ranking");
  }

  /** Leases the next task of a project; returns the response body as a path-able extract. */
  public static io.restassured.path.json.JsonPath next(String contractor, String projectId) {
    return as(contractor)
        .queryParam("project", projectId)
        .post("/api/tasks/next")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
