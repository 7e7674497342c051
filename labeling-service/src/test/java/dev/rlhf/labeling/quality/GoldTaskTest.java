package dev.rlhf.labeling.quality;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.labeling.quality.QualityApi.TaskRef;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gold tasks: marked by researchers, mixed into the queue unseen, scored per contractor. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class GoldTaskTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String researcher;
  private String project;
  private TaskRef ordinary;
  private TaskRef gold;

  @BeforeEach
  void twoRankingTasksOneOfThemGold() {
    researcher = user("researcher");
    project = project(researcher, 1, 2);
    List<String> ids =
        prompts(researcher, project, "NONE", "Name a primary colour.", "Name a warm colour.");
    rankingTask(researcher, project, ids.get(0), "Red.", "Purple.");
    rankingTask(researcher, project, ids.get(1), "Orange.", "Blue.");
    ordinary = taskOf(ids.get(0));
    gold = taskOf(ids.get(1));
    markGold(researcher, gold.id(), gold.completions());
  }

  @Test
  void shouldServeAGoldTaskThatLooksLikeAnyOtherAndScoreEachContractorsAnswer() throws Exception {
    goldRate(researcher, project, 1.0);
    String careful = user("contractor");
    String careless = user("contractor");

    JsonPath first = next(careful, project);
    assertThat(first.getString("taskId")).as("at rate 1 gold comes first").isEqualTo(gold.id());
    String goldBody =
        as(careful).get("/api/assignments/" + first.getString("assignmentId")).asString();
    rank(careful, first, gold.completions(), 5_000);
    JsonPath second = next(careful, project);
    assertThat(second.getString("taskId")).isEqualTo(ordinary.id());
    String ordinaryBody =
        as(careful).get("/api/assignments/" + second.getString("assignmentId")).asString();
    rank(careful, second, ordinary.completions(), 7_000);

    assertThat(shape(JSON.readTree(goldBody)))
        .as("a gold assignment has exactly the fields of an ordinary one")
        .isEqualTo(shape(JSON.readTree(ordinaryBody)));
    assertThat(goldBody.toLowerCase()).doesNotContain("gold");
    assertThat(JSON.readTree(goldBody).path("state").asText())
        .isEqualTo(JSON.readTree(ordinaryBody).path("state").asText());

    JsonPath theirs = next(careless, project);
    assertThat(theirs.getString("taskId")).isEqualTo(gold.id());
    rank(careless, theirs, List.of(gold.completions().get(1), gold.completions().get(0)), 1_000);

    as(careful)
        .queryParam("project", project)
        .get("/api/quality/me")
        .then()
        .statusCode(200)
        .body("username", equalTo(careful))
        .body("goldAnswers", equalTo(1))
        .body("goldAccuracy", equalTo(1.0f))
        .body("rankings", equalTo(1));
    as(careless)
        .queryParam("project", project)
        .get("/api/quality/me")
        .then()
        .statusCode(200)
        .body("goldAnswers", equalTo(1))
        .body("goldAccuracy", equalTo(0.0f))
        .body("rankings", equalTo(0));
    as(researcher)
        .queryParam("project", project)
        .get("/api/quality/contractors")
        .then()
        .statusCode(200)
        .body("project.goldAnswers", equalTo(2))
        .body("project.goldAccuracy", equalTo(0.5f));
  }

  @Test
  void shouldNeverServeGoldAtRateZeroNorAnswersBeyondOnePerContractor() {
    String contractor = user("contractor");

    JsonPath only = next(contractor, project);
    assertThat(only.getString("taskId")).isEqualTo(ordinary.id());
    rank(contractor, only, ordinary.completions(), 1_000);
    // The gold task is there, but the project's rate is 0.
    as(contractor).queryParam("project", project).post("/api/tasks/next").then().statusCode(204);

    goldRate(researcher, project, 1.0);
    JsonPath goldAssignment = next(contractor, project);
    assertThat(goldAssignment.getString("taskId")).isEqualTo(gold.id());
    rank(contractor, goldAssignment, gold.completions(), 1_000);
    as(contractor).queryParam("project", project).post("/api/tasks/next").then().statusCode(204);
  }

  @Test
  void shouldKeepGoldAnswersOutOfTrainingSnapshots() {
    goldRate(researcher, project, 1.0);
    String contractor = user("contractor");
    rank(contractor, next(contractor, project), gold.completions(), 1_000);
    rank(contractor, next(contractor, project), ordinary.completions(), 1_000);

    String cycle =
        as(researcher)
            .body(
                Map.of("projectId", project, "stages", List.of("REWARD"), "baseVersion", "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    TrainingRunRequested reward = TrainerDouble.command(cycle, TrainingStage.REWARD);
    assertThat(reward.labelEventIds()).as("the ordinary ranking only").hasSize(1);
    assertThat(reward.weightedPairs()).isEmpty();
  }

  @Test
  void shouldRefuseABadGoldAnswerNamingTheFieldAndStoreNothing() {
    as(researcher)
        .body(
            Map.of(
                "order",
                List.of(
                    List.of(ordinary.completions().get(0)),
                    List.of(ordinary.completions().get(1)))))
        .put("/api/tasks/" + ordinary.id() + "/gold")
        .then()
        .statusCode(200);
    as(researcher)
        .body(Map.of("order", List.of(List.of(gold.completions().get(0)))))
        .put("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("order"));
    as(researcher)
        .body(Map.of("better", gold.completions().get(0), "worse", ordinary.completions().get(0)))
        .put("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(422)
        .body("field", equalTo("worse"));
    as(researcher)
        .body(
            Map.of(
                "order", List.of(gold.completions()),
                "better", gold.completions().get(0),
                "worse", gold.completions().get(1)))
        .put("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(422)
        .body("field", equalTo("order"));
    as(researcher)
        .body(Map.of("order", List.of(gold.completions())))
        .put("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(422)
        .body("field", equalTo("order"));
    as(researcher)
        .body(Map.of("rate", 1.5))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("rate"));

    as(researcher)
        .get("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(200)
        .body("requiredPairs", equalTo(List.of(gold.completions())))
        .body("markedBy", equalTo(researcher));
    as(researcher)
        .get("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(200)
        .body("rate", equalTo(0.0f))
        .body("goldTasks", equalTo(2));
  }

  @Test
  void shouldMarkAGoldRequiredPair() {
    as(researcher)
        .body(Map.of("better", gold.completions().get(1), "worse", gold.completions().get(0)))
        .put("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(200)
        .body(
            "requiredPairs",
            equalTo(List.of(List.of(gold.completions().get(1), gold.completions().get(0)))));
  }

  @Test
  void shouldLetOnlyResearchersMarkGoldAndKeepContractorsFromSeeingIt() {
    String contractor = user("contractor");
    String reviewer = user("reviewer");
    Map<String, Object> answer =
        Map.of(
            "order",
            List.of(List.of(gold.completions().get(0)), List.of(gold.completions().get(1))));

    as(contractor).get("/api/tasks/" + gold.id() + "/gold").then().statusCode(403);
    as(contractor).body(answer).put("/api/tasks/" + gold.id() + "/gold").then().statusCode(403);
    as(contractor).get("/api/projects/" + project + "/gold-rate").then().statusCode(403);
    as(contractor)
        .body(Map.of("rate", 1))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(403);
    as(reviewer).get("/api/tasks/" + gold.id() + "/gold").then().statusCode(200);
    as(reviewer).body(answer).put("/api/tasks/" + gold.id() + "/gold").then().statusCode(403);
    as(reviewer)
        .body(Map.of("rate", 1))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(403);
    io.restassured.RestAssured.given()
        .get("/api/tasks/" + gold.id() + "/gold")
        .then()
        .statusCode(401);
  }

  /** The field names of a JSON tree, nested, arrays by their first element. */
  private static Set<String> shape(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collect(node, "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String prefix, Set<String> paths) {
    if (node.isObject()) {
      Iterator<String> names = node.fieldNames();
      List<String> list = new ArrayList<>();
      names.forEachRemaining(list::add);
      for (String name : list) {
        paths.add(prefix + name);
        collect(node.get(name), prefix + name + ".", paths);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      collect(node.get(0), prefix + "[].", paths);
    }
  }
}
