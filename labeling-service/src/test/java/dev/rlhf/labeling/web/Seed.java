package dev.rlhf.labeling.web;

import dev.rlhf.labeling.LabelingApi;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * The data the browser tests start from, made through the HTTP API as a researcher would: what they
 * need beyond {@link LabelingApi} (accounts, prompts and ranking tasks come from there, as in the
 * API tests).
 */
final class Seed {

  static final String PASSWORD = LabelingApi.PASSWORD;

  private Seed() {}

  static RequestSpecification as(String username) {
    return LabelingApi.as(username);
  }

  static String user(String role) {
    return LabelingApi.user(role);
  }

  static String project(String researcher, String guidelines) {
    return as(researcher)
        .body(
            Map.of(
                "name",
                LabelingApi.unique("Project"),
                "guidelines",
                guidelines,
                "rankingOverlap",
                1))
        .post("/api/projects")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
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
}
