package dev.rlhf.labeling.selection;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ActiveSelectionTest {

  @Test
  void shouldHandOutThePromptsWhoseCompletionsDifferMostFirstUnderUncertaintySelection() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    as(researcher)
        .body(Map.of("selection", "uncertainty"))
        .patch("/api/projects/" + project)
        .then()
        .statusCode(200)
        .body("selection", equalTo("uncertainty"));

    List<String> order = queueOrder(project, researcher);

    // Made alike-first, handed out most-different-first.
    assertThat(order).containsExactly("different", "somewhat", "alike");
  }

  @Test
  void shouldHandOutTheTasksInArrivalOrderUnderRandomSelectionTheDefault() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    as(researcher)
        .get("/api/projects/" + project)
        .then()
        .statusCode(200)
        .body("selection", equalTo("random"));

    assertThat(queueOrder(project, researcher)).containsExactly("alike", "somewhat", "different");
  }

  @Test
  void shouldRefuseAnUnknownSelectionNamingTheField() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    as(researcher)
        .body(Map.of("selection", "cleverest"))
        .patch("/api/projects/" + project)
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("selection"));
    as(researcher).get("/api/projects/" + project).then().body("selection", equalTo("random"));
  }

  @Test
  void shouldLetOnlyResearchersChangeTheSelection() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    for (String role : List.of("contractor", "reviewer")) {
      as(user(role))
          .body(Map.of("selection", "uncertainty"))
          .patch("/api/projects/" + project)
          .then()
          .statusCode(403);
    }
    as(researcher).get("/api/projects/" + project).then().body("selection", equalTo("random"));
    as(user("admin"))
        .body(Map.of("selection", "uncertainty"))
        .patch("/api/projects/" + project)
        .then()
        .statusCode(200);
    as(user("contractor"))
        .get("/api/projects/" + project)
        .then()
        .statusCode(200)
        .body("selection", equalTo("uncertainty"));
  }

  /**
   * Makes three ranking tasks (completions alike, somewhat different, all different, in that order)
   * and returns the prompts in the order one contractor is handed them.
   */
  private static List<String> queueOrder(String project, String researcher) {
    List<String> ids = prompts(researcher, project, "NONE", "alike", "somewhat", "different");
    rankingTask(
        researcher, project, ids.get(0), "The cat sat on the mat.", "The cat sat on a mat.");
    rankingTask(
        researcher, project, ids.get(1), "The cat sat on the mat.", "A dog slept on the mat.");
    rankingTask(researcher, project, ids.get(2), "Seven.", "Blue whales swim far away.");
    String contractor = user("contractor");
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      var task = next(contractor, project);
      order.add(task.getString("conversation[0].text"));
      as(contractor)
          .body(Map.of("reason", "ordering check"))
          .post("/api/assignments/" + task.getString("assignmentId") + "/skip")
          .then()
          .statusCode(200);
    }
    return order;
  }
}
