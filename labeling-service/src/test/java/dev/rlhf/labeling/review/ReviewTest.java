package dev.rlhf.labeling.review;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ReviewTest {

  /** Writes {@code count} demonstrations ("answer " and the prompt); label ids by prompt. */
  private static Map<String, String> demonstrate(String contractor, String project, int count) {
    Map<String, String> ids = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      JsonPath task = next(contractor, project);
      ids.put(
          task.getString("conversation[-1].text"),
          as(contractor)
              .body(Map.of("response", "answer " + task.getString("conversation[-1].text")))
              .post("/api/assignments/" + task.getString("assignmentId") + "/demonstration")
              .then()
              .statusCode(201)
              .extract()
              .path("labelId"));
    }
    return ids;
  }

  private static void rate(String researcher, String project, double rate) {
    as(researcher)
        .body(Map.of("reviewRate", rate))
        .put("/api/projects/" + project + "/review-rate")
        .then()
        .statusCode(200)
        .body("reviewRate", equalTo((float) rate));
  }

  private static List<String> queue(String reviewer, String project) {
    return as(reviewer)
        .queryParam("project", project)
        .queryParam("limit", 100)
        .get("/api/reviews/queue")
        .then()
        .statusCode(200)
        .extract()
        .path("labelId");
  }

  private static io.restassured.response.ValidatableResponse decide(
      String reviewer, Map<String, Object> body) {
    return as(reviewer).body(body).post("/api/reviews").then();
  }

  @Test
  void shouldSampleLabelsAtTheProjectRateTheSameWayEveryTimeAndQueueEveryLabelOfAWatchedOne() {
    String researcher = user("researcher");
    String reviewer = user("reviewer");
    String careful = user("contractor");
    String watched = user("contractor");
    String project = project(researcher, 2, 1);
    prompts(researcher, project, "DEMONSTRATION", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8");
    List<String> all = new ArrayList<>(demonstrate(careful, project, 8).values());
    List<String> watchedLabels = new ArrayList<>(demonstrate(watched, project, 3).values());
    all.addAll(watchedLabels);

    // The default rate (10%) until the project sets one.
    as(reviewer)
        .get("/api/projects/" + project + "/review-rate")
        .then()
        .statusCode(200)
        .body("reviewRate", equalTo(0.1f))
        .body("serviceDefault", equalTo(true));
    rate(researcher, project, 0);
    assertThat(queue(reviewer, project)).isEmpty();
    rate(researcher, project, 1);
    assertThat(queue(reviewer, project)).containsExactlyInAnyOrderElementsOf(all);
    rate(researcher, project, 0.5);
    List<String> half = queue(reviewer, project);
    assertThat(queue(reviewer, project)).isEqualTo(half);
    assertThat(all).containsAll(half);

    rate(researcher, project, 0);
    as(reviewer)
        .body(Map.of("reason", "new on the team"))
        .put("/api/watched-contractors/" + watched)
        .then()
        .statusCode(200)
        .body("username", equalTo(watched));
    List<Map<String, Object>> items =
        as(reviewer)
            .queryParam("project", project)
            .get("/api/reviews/queue")
            .then()
            .statusCode(200)
            .extract()
            .path("");
    assertThat(items).extracting(i -> i.get("labelId")).containsExactlyElementsOf(watchedLabels);
    assertThat(items).allSatisfy(i -> assertThat(i.get("why")).isEqualTo("WATCHED"));
    // The reviewer sees the task and the guidelines version the label was made under.
    assertThat(items.get(0).get("guidelineVersion")).isEqualTo(1);
    assertThat((String) items.get(0).get("guidelines")).isNotBlank();
    assertThat((String) items.get(0).get("response")).startsWith("answer q");
    assertThat(items.get(0).get("contractor")).isEqualTo(watched);

    as(researcher).delete("/api/watched-contractors/" + watched).then().statusCode(204);
    assertThat(queue(reviewer, project)).isEmpty();
  }

  @Test
  void shouldRefuseAContractorAsReviewerAReviewOfOnesOwnLabelAndARejectionWithoutAReason() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String reviewingContractor = user("reviewer", "contractor");
    String project = project(researcher, 2, 1);
    rate(researcher, project, 1);
    prompts(researcher, project, "DEMONSTRATION", "a", "b");
    String label = demonstrate(contractor, project, 1).get("a");
    String own = demonstrate(reviewingContractor, project, 1).get("a");

    as(contractor).get("/api/reviews/queue").then().statusCode(403);
    decide(contractor, Map.of("labelId", label, "decision", "ACCEPT")).statusCode(403);
    assertThat(queue(reviewingContractor, project)).containsExactly(label);
    decide(reviewingContractor, Map.of("labelId", own, "decision", "ACCEPT"))
        .statusCode(403)
        .contentType("application/problem+json")
        .body("field", equalTo("labelId"));
    decide(reviewingContractor, Map.of("labelId", label, "decision", "REJECT"))
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("reason"));
    decide(reviewingContractor, Map.of("labelId", label, "decision", "CORRECT"))
        .statusCode(422)
        .body("field", equalTo("correctedResponse"));
    // Nothing was stored: the label still waits for review.
    assertThat(queue(reviewingContractor, project)).containsExactly(label);

    decide(
            reviewingContractor,
            Map.of("labelId", label, "decision", "REJECT", "reason", "off topic"))
        .statusCode(201)
        .body("outcome", equalTo("REJECTED"));
    decide(reviewingContractor, Map.of("labelId", label, "decision", "ACCEPT")).statusCode(409);
    assertThat(queue(reviewingContractor, project)).isEmpty();
  }

  @Test
  void shouldDropRejectedLabelsFromExportsAndSnapshotsAndTrainOnCorrectionsWithLineage() {
    String researcher = user("researcher");
    String reviewer = user("reviewer");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    rate(researcher, project, 1);
    prompts(researcher, project, "DEMONSTRATION", "keep", "wrong", "fix", "unreviewed");
    Map<String, String> labels = demonstrate(contractor, project, 4);
    String sft =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "b-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    List<UUID> trained =
        as(researcher)
            .get("/api/cycles/" + sft + "/labels")
            .then()
            .extract()
            .jsonPath()
            .getList("eventId", String.class)
            .stream()
            .map(UUID::fromString)
            .toList();
    String version = "sft-" + UUID.randomUUID().toString().substring(0, 8);
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(version, Kind.POLICY, "b-1", null, null, TrainingStage.SFT, trained);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);

    decide(reviewer, Map.of("labelId", labels.get("keep"), "decision", "ACCEPT")).statusCode(201);
    decide(
            reviewer,
            Map.of(
                "labelId", labels.get("wrong"), "decision", "REJECT", "reason", "made up a fact"))
        .statusCode(201);
    decide(
            reviewer,
            Map.of(
                "labelId",
                labels.get("fix"),
                "decision",
                "CORRECT",
                "correctedResponse",
                "the fixed answer",
                "reason",
                "too curt"))
        .statusCode(201)
        .body("outcome", equalTo("CORRECTED"))
        .body("answer", equalTo("answer fix"))
        .body("correctedResponse", equalTo("the fixed answer"));

    // Exports: the rejected one is gone, the corrected one reads as corrected.
    String all = as(researcher).queryParam("project", project).get("/api/exports/sft").asString();
    assertThat(all)
        .contains("answer keep", "the fixed answer", "answer unreviewed")
        .doesNotContain("answer wrong", "answer fix\"");
    String reviewed =
        as(researcher)
            .queryParam("project", project)
            .queryParam("reviewedOnly", true)
            .get("/api/exports/sft")
            .asString();
    assertThat(reviewed.lines()).hasSize(2);
    assertThat(reviewed).contains("answer keep", "the fixed answer");

    // A later snapshot: no rejected label, the correction instead of its original.
    Map<String, Object> body = new HashMap<>();
    body.put("projectId", project);
    body.put("stages", List.of("SFT"));
    body.put("baseVersion", "b-1");
    List<String> later = snapshotResponses(researcher, body);
    assertThat(later)
        .containsExactlyInAnyOrder("answer keep", "the fixed answer", "answer unreviewed");
    body.put("snapshot", Map.of("reviewedOnly", true));
    assertThat(snapshotResponses(researcher, body))
        .containsExactlyInAnyOrder("answer keep", "the fixed answer");

    // The version trained before keeps its lineage and says what review found since.
    as(researcher)
        .get("/api/models/" + version)
        .then()
        .statusCode(200)
        .body("labels.demonstrations", equalTo(4))
        .body("labels.laterRejected", equalTo(1))
        .body("labels.laterCorrected", equalTo(1));
    assertThat(
            as(researcher)
                .get("/api/models/" + version + "/labels")
                .then()
                .extract()
                .<List<String>>path("response"))
        .contains("answer wrong", "answer fix");

    // The contractor sees their feedback, without the reviewer's name.
    List<Map<String, Object>> feedback =
        as(contractor).get("/api/me/reviews").then().statusCode(200).extract().path("");
    assertThat(feedback)
        .extracting(f -> f.get("outcome") + ":" + f.get("reason") + ":" + f.get("prompt"))
        .containsExactlyInAnyOrder(
            "CORRECTED:too curt:fix", "REJECTED:made up a fact:wrong", "ACCEPTED:null:keep");
    assertThat(feedback).allSatisfy(f -> assertThat(f.get("reviewer")).isNull());
    as(researcher)
        .queryParam("project", project)
        .queryParam("outcome", "rejected")
        .get("/api/reviews")
        .then()
        .statusCode(200)
        .body("size()", equalTo(1))
        .body("[0].reviewer", equalTo(reviewer));
  }

  @Test
  void shouldTakeACorrectedRankingsOrderAsTheRankingOfRecord() {
    String researcher = user("researcher");
    String reviewer = user("reviewer");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    rate(researcher, project, 1);
    String prompt = prompts(researcher, project, "NONE", "Which is right?").get(0);
    rankingTask(researcher, project, prompt, "wrong", "right");
    JsonPath task = next(contractor, project);
    List<String> ids = task.getList("completions.id");
    List<String> texts = task.getList("completions.text");
    String wrong = ids.get(texts.indexOf("wrong"));
    String right = ids.get(texts.indexOf("right"));
    String ranking =
        as(contractor)
            .body(Map.of("order", List.of(List.of(wrong), List.of(right))))
            .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");

    decide(
            reviewer,
            Map.of(
                "labelId",
                ranking,
                "decision",
                "CORRECT",
                "correctedOrder",
                List.of(List.of(right), List.of(wrong, UUID.randomUUID().toString()))))
        .statusCode(422)
        .body("field", equalTo("correctedOrder"));
    decide(
            reviewer,
            Map.of(
                "labelId",
                ranking,
                "decision",
                "CORRECT",
                "correctedOrder",
                List.of(List.of(right), List.of(wrong))))
        .statusCode(201);

    String pairs =
        as(researcher).queryParam("project", project).get("/api/exports/preferences").asString();
    assertThat(pairs.lines()).hasSize(1);
    assertThat(pairs).contains("\"chosen\":[{\"role\":\"assistant\",\"content\":\"right\"}]");
  }

  private static List<String> snapshotResponses(String researcher, Map<String, Object> body) {
    String cycle =
        as(researcher).body(body).post("/api/cycles").then().statusCode(201).extract().path("id");
    return as(researcher).get("/api/cycles/" + cycle + "/labels").then().extract().path("response");
  }
}
