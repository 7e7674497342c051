package dev.rlhf.labeling.membership;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class MembershipTest {

  private static Response next(String contractor, String project) {
    var request = as(contractor);
    if (project != null) request.queryParam("project", project);
    return request.post("/api/tasks/next");
  }

  /**
   * The project of the next task of any project (other tests' projects may have open tasks too), or
   * null: 204, or 429 when the only tasks left are behind caps.
   */
  private static String projectOfAnyNextTask(String contractor) {
    Response response = next(contractor, null);
    assertThat(response.statusCode()).isIn(200, 204, 429);
    return response.statusCode() == 200 ? response.path("projectId") : null;
  }

  @Test
  void shouldHandTasksOfAProjectWithMembersToItsMembersOnly() {
    String researcher = user("researcher");
    String member = user("contractor");
    String outsider = user("contractor");
    String project = project(researcher, 3, 1);
    prompts(researcher, project, "DEMONSTRATION", "members only");

    // Without members (every project before this feature) the project is open to all.
    as(researcher)
        .get("/api/projects/" + project + "/access")
        .then()
        .statusCode(200)
        .body("membersOnly", equalTo(false))
        .body("members", equalTo(0));
    as(researcher)
        .put("/api/projects/" + project + "/members/" + member)
        .then()
        .statusCode(200)
        .body("membersOnly", equalTo(true))
        .body("members", equalTo(1));
    as(researcher)
        .get("/api/projects/" + project + "/members")
        .then()
        .body("username", org.hamcrest.Matchers.contains(member));

    next(outsider, project)
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("field", equalTo("project"));
    assertThat(projectOfAnyNextTask(outsider)).isNotEqualTo(project);
    assertThat(next(member, project).statusCode()).isEqualTo(200);

    // Taking the last member off leaves the project closed, not open to everyone.
    as(researcher).delete("/api/projects/" + project + "/members/" + member).then().statusCode(200);
    assertThat(next(outsider, project).statusCode()).isEqualTo(403);
    assertThat(projectOfAnyNextTask(outsider)).isNotEqualTo(project);
    as(researcher)
        .body(Map.of("membersOnly", false))
        .patch("/api/projects/" + project + "/access")
        .then()
        .statusCode(200)
        .body("membersOnly", equalTo(false));
    assertThat(next(outsider, project).statusCode()).isEqualTo(200);

    as(researcher)
        .put("/api/projects/" + project + "/members/" + researcher)
        .then()
        .statusCode(422)
        .body("field", equalTo("username"));
    as(member).put("/api/projects/" + project + "/members/" + member).then().statusCode(403);
  }

  @Test
  void shouldStopAContractorAtTheHourlyCapWithA429ThatSaysWhy() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "one", "two", "three", "four");
    as(researcher)
        .body(Map.of("hourlyTaskCap", 2, "dailyTaskCap", 10))
        .patch("/api/projects/" + project + "/access")
        .then()
        .statusCode(200)
        .body("hourlyTaskCap", equalTo(2))
        .body("dailyTaskCap", equalTo(10));
    for (int i = 0; i < 2; i++) {
      String assignment =
          next(contractor, project).then().statusCode(200).extract().path("assignmentId");
      as(contractor)
          .body(Map.of("response", "done"))
          .post("/api/assignments/" + assignment + "/demonstration")
          .then()
          .statusCode(201);
    }

    Response capped = next(contractor, project);
    capped
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("field", equalTo("project"))
        .body("detail", containsString("hourly cap is 2"));
    assertThat(Long.parseLong(capped.header("Retry-After"))).isBetween(1L, 3600L);
    // Asked for any project, the distributor passes this one by.
    assertThat(projectOfAnyNextTask(contractor)).isNotEqualTo(project);
    // Another contractor is not held back by this one's cap.
    assertThat(next(user("contractor"), project).statusCode()).isEqualTo(200);

    as(researcher)
        .body(Map.of("hourlyTaskCap", -1))
        .patch("/api/projects/" + project + "/access")
        .then()
        .statusCode(422)
        .body("field", equalTo("hourlyTaskCap"));
    as(researcher)
        .body(Map.of("hourlyTaskCap", 0))
        .patch("/api/projects/" + project + "/access")
        .then()
        .statusCode(200)
        .body("hourlyTaskCap", equalTo(null));
    assertThat(next(contractor, project).statusCode()).isEqualTo(200);
  }
}
