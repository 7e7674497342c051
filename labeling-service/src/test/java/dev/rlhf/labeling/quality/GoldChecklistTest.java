package dev.rlhf.labeling.quality;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.quality.QualityApi.goldRate;
import static dev.rlhf.labeling.quality.QualityApi.markGold;
import static dev.rlhf.labeling.quality.QualityApi.rank;
import static dev.rlhf.labeling.quality.QualityApi.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.rlhf.labeling.quality.QualityApi.TaskRef;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Demonstration gold: a researcher gives a demonstration task a checklist, every answer to it goes
 * to review, the reviewer scores each item, and the items met join the contractor's gold accuracy
 * beside the required pairs of ranking gold.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class GoldChecklistTest {

  private static final List<String> CHECKLIST =
      List.of("Names Shakespeare", "Gives the year 1600 or so", "<b>Stays polite</b>");

  private String researcher;
  private String project;
  private TaskRef goldDemo;
  private TaskRef ordinaryDemo;
  private TaskRef goldRanking;

  @BeforeEach
  void aGoldDemonstrationAnOrdinaryOneAndAGoldRanking() {
    researcher = user("researcher");
    project = project(researcher, 1, 1);
    List<String> demos =
        prompts(researcher, project, "DEMONSTRATION", "Who wrote Hamlet?", "Say hello.");
    goldDemo = taskOf(demos.get(0));
    ordinaryDemo = taskOf(demos.get(1));
    String ranked = prompts(researcher, project, "NONE", "Pick a fruit.").get(0);
    rankingTask(researcher, project, ranked, "An apple.", "A rock.");
    goldRanking = taskOf(ranked);
    as(researcher)
        .body(Map.of("checklist", CHECKLIST))
        .put("/api/tasks/" + goldDemo.id() + "/gold")
        .then()
        .statusCode(200)
        .body("answer.checklist", equalTo(CHECKLIST))
        .body("requiredPairs", hasSize(0));
    markGold(researcher, goldRanking.id(), goldRanking.completions());
  }

  @Test
  void shouldSendAGoldDemonstrationAnswerToReviewAndCountItsChecklistInGoldAccuracy() {
    goldRate(researcher, project, 1.0);
    String contractor = user("contractor");
    String reviewer = user("reviewer");

    JsonPath gold = next(contractor, "DEMONSTRATION");
    assertThat(gold.getString("taskId")).isEqualTo(goldDemo.id());
    assertThat(gold.prettify().toLowerCase()).doesNotContain("gold").doesNotContain("checklist");
    String goldLabel = demonstrate(contractor, gold, "Shakespeare wrote it.");
    String ordinaryLabel =
        demonstrate(contractor, next(contractor, "DEMONSTRATION"), "Hello there.");
    rank(contractor, next(contractor, "RANKING"), goldRanking.completions(), 1_000);

    JsonPath queue =
        as(reviewer)
            .queryParam("project", project)
            .get("/api/reviews/queue")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Object> item = itemOf(queue, goldLabel);
    assertThat(item).as("every gold demonstration answer comes to review").isNotNull();
    assertThat(item.get("why")).isEqualTo("GOLD");
    assertThat(item.get("gold")).isEqualTo(true);
    assertThat(item.get("checklist")).isEqualTo(CHECKLIST);

    Map<String, Object> decision = new HashMap<>();
    decision.put("labelId", goldLabel);
    decision.put("decision", "ACCEPT");
    as(reviewer)
        .body(decision)
        .post("/api/reviews")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("checklist"));
    decision.put("checklist", List.of(true, false));
    as(reviewer).body(decision).post("/api/reviews").then().statusCode(422);
    as(reviewer)
        .body(Map.of("labelId", ordinaryLabel, "decision", "ACCEPT", "checklist", List.of(true)))
        .post("/api/reviews")
        .then()
        .statusCode(422)
        .body("field", equalTo("checklist"));
    decision.put("checklist", List.of(true, false, false));
    as(reviewer).body(decision).post("/api/reviews").then().statusCode(201);

    // One required pair met of one, one checklist item met of three: 2 of 4 gold checks.
    as(contractor)
        .queryParam("project", project)
        .get("/api/quality/me")
        .then()
        .statusCode(200)
        .body("goldAnswers", equalTo(2))
        .body("goldAccuracy", equalTo(0.5f))
        .body("demonstrations", equalTo(1));
  }

  @Test
  void shouldRefuseABadChecklistNamingTheField() {
    for (Object bad :
        List.of(
            List.of(),
            List.of("fine", "  "),
            Collections.nCopies(11, "item"),
            List.of("x".repeat(201)))) {
      as(researcher)
          .body(Map.of("checklist", bad))
          .put("/api/tasks/" + ordinaryDemo.id() + "/gold")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("field", equalTo("checklist"));
    }
    as(researcher)
        .body(Map.of("better", goldRanking.completions().get(0), "worse", "x"))
        .put("/api/tasks/" + ordinaryDemo.id() + "/gold")
        .then()
        .statusCode(400);
    as(researcher)
        .body(Map.of("checklist", List.of("a demonstration's gold")))
        .put("/api/tasks/" + goldRanking.id() + "/gold")
        .then()
        .statusCode(422)
        .body("field", equalTo("checklist"));
    as(researcher).get("/api/tasks/" + ordinaryDemo.id() + "/gold").then().statusCode(404);
  }

  @Test
  void shouldListGoldTasksToResearchersAndReviewersOnly() {
    String contractor = user("contractor");
    String reviewer = user("reviewer");
    String list = "/api/projects/" + project + "/gold-tasks";

    as(contractor).get(list).then().statusCode(403);
    as(contractor)
        .body(Map.of("checklist", List.of("anything")))
        .put("/api/tasks/" + ordinaryDemo.id() + "/gold")
        .then()
        .statusCode(403);
    as(reviewer)
        .body(Map.of("checklist", List.of("anything")))
        .put("/api/tasks/" + ordinaryDemo.id() + "/gold")
        .then()
        .statusCode(403);
    io.restassured.RestAssured.given().get(list).then().statusCode(401);

    JsonPath tasks = as(reviewer).get(list).then().statusCode(200).extract().jsonPath();
    assertThat(tasks.getList("taskId"))
        .containsExactlyInAnyOrder(goldDemo.id(), ordinaryDemo.id(), goldRanking.id());
    assertThat(tasks.getList("findAll { it.gold != null }.taskId"))
        .containsExactlyInAnyOrder(goldDemo.id(), goldRanking.id());
    as(researcher)
        .queryParam("goldOnly", true)
        .get(list)
        .then()
        .statusCode(200)
        .body("size()", equalTo(2))
        .body("find { it.taskId == '" + goldDemo.id() + "' }.gold.answer.checklist", hasSize(3))
        .body("find { it.taskId == '" + goldRanking.id() + "' }.gold.answer.checklist", nullValue())
        .body(
            "find { it.taskId == '" + goldRanking.id() + "' }.completions.text",
            equalTo(List.of("An apple.", "A rock.")));
  }

  private JsonPath next(String contractor, String type) {
    return as(contractor)
        .queryParam("project", project)
        .queryParam("type", type)
        .post("/api/tasks/next")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static String demonstrate(String contractor, JsonPath assignment, String response) {
    return as(contractor)
        .body(Map.of("response", response, "timeSpentMs", 1_000))
        .post("/api/assignments/" + assignment.getString("assignmentId") + "/demonstration")
        .then()
        .statusCode(201)
        .extract()
        .path("labelId");
  }

  private static Map<String, Object> itemOf(JsonPath queue, String labelId) {
    return queue.getMap("find { it.labelId == '" + labelId + "' }");
  }
}
