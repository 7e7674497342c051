package dev.rlhf.labeling.reports;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The HTTP calls report tests make, as the people and systems that make them. */
final class ReportsApi {

  static final String PASSWORD = "secret-passphrase";

  private ReportsApi() {}

  static RequestSpecification as(String username) {
    String password = username.equals("admin") ? "admin" : PASSWORD;
    return given().auth().preemptive().basic(username, password).contentType(ContentType.JSON);
  }

  /** Creates an account with the given role; returns its username. */
  static String user(String role) {
    String username = role + "-" + UUID.randomUUID().toString().substring(0, 8);
    as("admin")
        .body(Map.of("username", username, "password", PASSWORD, "roles", List.of(role)))
        .post("/api/admin/users")
        .then()
        .statusCode(201);
    return username;
  }

  static String project() {
    return as("admin")
        .body(
            Map.of(
                "name",
                "reports-" + UUID.randomUUID(),
                "guidelines",
                "Be helpful, truthful and harmless."))
        .post("/api/projects")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Issues a report token for a source; returns the secret. */
  static String token(String source) {
    return as("admin")
        .body(Map.of("source", source))
        .post("/api/admin/report-tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  /** A conversation no other test uses, ending with the model's bad answer. */
  static List<Map<String, String>> conversation(String question, String badAnswer) {
    return List.of(
        Map.of("role", "USER", "text", question + " " + UUID.randomUUID()),
        Map.of("role", "ASSISTANT", "text", badAnswer));
  }

  static Map<String, Object> report(
      String externalId, List<Map<String, String>> conversation, String category, int severity) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("externalId", externalId);
    body.put("conversation", conversation);
    body.put("modelVersion", "policy-v3");
    body.put("category", category);
    body.put("severity", severity);
    body.put("text", "the answer is wrong");
    return body;
  }

  static RequestSpecification withToken(String token) {
    return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
  }

  /** The reports a reviewer sees with the given external id. */
  static List<Map<String, Object>> reportsWithExternalId(String reviewer, String externalId) {
    List<Map<String, Object>> all =
        as(reviewer).get("/api/reports?size=200").then().statusCode(200).extract().path("");
    List<Map<String, Object>> found = new ArrayList<>();
    for (Map<String, Object> r : all) if (externalId.equals(r.get("externalId"))) found.add(r);
    return found;
  }
}
