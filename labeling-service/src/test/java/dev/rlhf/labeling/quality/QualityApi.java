package dev.rlhf.labeling.quality;

import static dev.rlhf.labeling.LabelingApi.as;

import dev.rlhf.labeling.domain.Task;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the quality tests do through the API, and where they look up a task's ids. */
final class QualityApi {

  /** A task and its completions' ids in the order shown. */
  record TaskRef(String id, List<String> completions) {}

  private QualityApi() {}

  /** The task of a prompt, as a researcher finds it in the data (looked up directly here). */
  static TaskRef taskOf(String promptId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Task task = Task.find("promptId", UUID.fromString(promptId)).firstResult();
              return new TaskRef(
                  task.id.toString(), task.completions.stream().map(c -> c.id.toString()).toList());
            });
  }

  /** Submits the contractor's ranking of their assignment: completion ids best first. */
  static void rank(String contractor, JsonPath assignment, List<String> bestFirst, long ms) {
    as(contractor)
        .body(Map.of("order", bestFirst.stream().map(List::of).toList(), "timeSpentMs", ms))
        .post("/api/assignments/" + assignment.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);
  }

  static void markGold(String researcher, String taskId, List<String> bestFirst) {
    as(researcher)
        .body(Map.of("order", bestFirst.stream().map(List::of).toList()))
        .put("/api/tasks/" + taskId + "/gold")
        .then()
        .statusCode(200);
  }

  static void goldRate(String researcher, String projectId, double rate) {
    as(researcher)
        .body(Map.of("rate", rate))
        .put("/api/projects/" + projectId + "/gold-rate")
        .then()
        .statusCode(200);
  }
}
