package dev.rlhf.labeling.actors;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A contractor played by a program, through the HTTP API only, the way the browser does it: sign in
 * with the login form (session cookie), take the next task, write a demonstration or rank the
 * completions by a programmatic preference. Reusable by end-to-end tests against a running service.
 */
public final class ScriptedContractor {

  private final String username;
  private static final String SESSION_COOKIE = "rlhf-session";
  private final String sessionCookie;

  private ScriptedContractor(String username, String sessionCookie) {
    this.username = username;
    this.sessionCookie = sessionCookie;
  }

  /** Signs in with the login form; fails when the credentials are refused. */
  public static ScriptedContractor logIn(String username, String password) {
    Response response =
        given()
            .contentType(ContentType.URLENC)
            .header("X-Requested-With", "scripted-contractor")
            .formParam("j_username", username)
            .formParam("j_password", password)
            .post("/j_security_check");
    String cookie = response.getCookie(SESSION_COOKIE);
    if (response.statusCode() >= 400 || cookie == null) {
      throw new AssertionError("sign-in of " + username + " refused: " + response.statusCode());
    }
    return new ScriptedContractor(username, cookie);
  }

  public String username() {
    return username;
  }

  /** The next task of a project (and type, if given), or empty when there is nothing to do. */
  public Optional<JsonPath> nextTask(String projectId, String type) {
    RequestSpecification request = session().queryParam("project", projectId);
    if (type != null) request.queryParam("type", type);
    Response response = request.post("/api/tasks/next");
    if (response.statusCode() == 204) return Optional.empty();
    if (response.statusCode() != 200) {
      throw new AssertionError("next task: " + response.statusCode() + " " + response.asString());
    }
    return Optional.of(response.jsonPath());
  }

  /** Writes the response {@code writer} makes from the prompt's last turn. */
  public void demonstrate(JsonPath task, Function<String, String> writer) {
    List<String> turns = task.getList("conversation.text");
    submit(
        task,
        "demonstration",
        Map.of("response", writer.apply(turns.get(turns.size() - 1)), "timeSpentMs", 1000));
  }

  /**
   * Ranks the task's completions best first by {@code preference} over their texts; completions the
   * preference finds equal are tied.
   */
  public void rank(JsonPath task, Comparator<String> preference) {
    List<Map<String, Object>> completions = task.getList("completions");
    List<Map<String, Object>> sorted = new ArrayList<>(completions);
    sorted.sort((a, b) -> preference.compare((String) a.get("text"), (String) b.get("text")));
    List<List<String>> order = new ArrayList<>();
    Map<String, Object> previous = null;
    for (Map<String, Object> c : sorted) {
      boolean tied =
          previous != null
              && preference.compare((String) previous.get("text"), (String) c.get("text")) == 0;
      if (tied) order.get(order.size() - 1).add((String) c.get("id"));
      else order.add(new ArrayList<>(List.of((String) c.get("id"))));
      previous = c;
    }
    submitRanking(task, order, null);
  }

  /**
   * Submits a ranking: {@code order} holds completion ids best first, tied ones in one group. With
   * a {@code betterResponse} the contractor says all are bad and writes that response instead.
   */
  public void submitRanking(JsonPath task, List<List<String>> order, String betterResponse) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("order", order);
    body.put("allBad", betterResponse != null);
    body.put("timeSpentMs", 1000);
    if (betterResponse != null) body.put("betterResponse", betterResponse);
    submit(task, "ranking", body);
  }

  /** Rates completions of the task: each map has a {@code completionId} and scores or flags. */
  public void rate(JsonPath task, List<Map<String, Object>> ratings) {
    session()
        .body(Map.of("ratings", ratings))
        .put("/api/assignments/" + task.getString("assignmentId") + "/ratings")
        .then()
        .statusCode(200);
  }

  /** Answers tasks of a type until none is left; returns how many it answered. */
  public int workThrough(String projectId, String type, Function<JsonPath, Boolean> answer) {
    int answered = 0;
    for (Optional<JsonPath> task = nextTask(projectId, type);
        task.isPresent();
        task = nextTask(projectId, type)) {
      if (answer.apply(task.get())) answered++;
    }
    return answered;
  }

  private void submit(JsonPath task, String kind, Map<String, Object> body) {
    session()
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .body(body)
        .post("/api/assignments/" + task.getString("assignmentId") + "/" + kind)
        .then()
        .statusCode(201);
  }

  /** As a browser would: the session cookie, and the page's origin on every request. */
  private RequestSpecification session() {
    return given()
        .cookie(SESSION_COOKIE, sessionCookie)
        .header("Origin", RestAssured.baseURI + ":" + RestAssured.port)
        .contentType(ContentType.JSON);
  }
}
