package dev.rlhf.labeling.quality;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.quality.QualityApi.rank;
import static dev.rlhf.labeling.quality.QualityApi.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.labeling.quality.QualityApi.TaskRef;
import dev.rlhf.labeling.quality.measures.KrippendorffAlpha;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contractor quality table: three contractors rank one task of three completions, two alike (a
 * > b > c) and one the reverse, and rate the first completion's helpfulness.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class QualityTableTest {

  // Seeded once for the class (the app is up only once a test runs, so not in @BeforeAll).
  private static String researcher;
  private static String project;
  private static String first;
  private static String second;
  private static String contrarian;

  @BeforeEach
  void threeContractorsRankOneTask() {
    if (project != null) return;
    researcher = user("researcher");
    String id = project(researcher, 1, 3);
    String prompt = prompts(researcher, id, "NONE", "What is 2 + 2?").get(0);
    rankingTask(researcher, id, prompt, "4.", "Four, I think.", "5.");
    TaskRef task = taskOf(prompt);
    List<String> bestFirst = task.completions();
    first = user("contractor");
    second = user("contractor");
    contrarian = user("contractor");
    String rated = bestFirst.get(0);
    answer(id, first, bestFirst, 4_000, rated, 5);
    answer(id, second, bestFirst, 6_000, rated, 5);
    answer(
        id,
        contrarian,
        List.of(bestFirst.get(2), bestFirst.get(1), bestFirst.get(0)),
        8_000,
        rated,
        1);
    project = id;
  }

  private static void answer(
      String project,
      String contractor,
      List<String> bestFirst,
      long ms,
      String rated,
      int helpful) {
    JsonPath assignment = next(contractor, project);
    as(contractor)
        .body(Map.of("ratings", List.of(Map.of("completionId", rated, "helpful", helpful))))
        .put("/api/assignments/" + assignment.getString("assignmentId") + "/ratings")
        .then()
        .statusCode(200);
    rank(contractor, assignment, bestFirst, ms);
  }

  private JsonPath table(String as) {
    return as(as)
        .queryParam("project", project)
        .get("/api/quality/contractors")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void shouldGiveEachContractorsAgreementWithPeersAndTimePerTask() {
    JsonPath table = table(researcher);

    assertThat(table.getList("contractors.username"))
        .containsExactlyInAnyOrder(first, second, contrarian);
    String me = "contractors.find { it.username == '%s' }.";
    // first agrees fully with second (1) and not at all with contrarian (0).
    assertThat(table.getDouble(me.formatted(first) + "pairwiseAgreement")).isEqualTo(0.5);
    assertThat(table.getDouble(me.formatted(first) + "kendallTau")).isEqualTo(0.0);
    assertThat(table.getInt(me.formatted(first) + "comparisons")).isEqualTo(2);
    assertThat(table.getDouble(me.formatted(contrarian) + "pairwiseAgreement")).isEqualTo(0.0);
    assertThat(table.getDouble(me.formatted(contrarian) + "kendallTau")).isEqualTo(-1.0);
    assertThat(table.getDouble(me.formatted(second) + "medianSecondsPerTask")).isEqualTo(6.0);
    assertThat(table.getString(me.formatted(first) + "goldAccuracy")).isNull();
    assertThat(table.getString(me.formatted(first) + "reviewAcceptanceRate")).isNull();
    assertThat(table.getList(me.formatted(first) + "history")).hasSize(1);

    // Under the defaults (minimum agreement 0.6, confidence 0.95) the contrarian's two comparisons
    // at 0 put their agreement at most at 0.575: confidently under 0.6, flagged, and down-weighted
    // by how little of the skill above chance (0.5) they can have: 0.25 * 0.075 / 0.1.
    assertThat(table.getBoolean(me.formatted(contrarian) + "underThreshold")).isTrue();
    assertThat(table.getList(me.formatted(contrarian) + "underThresholdOn"))
        .containsExactly("pairwiseAgreement");
    assertThat(table.getDouble(me.formatted(contrarian) + "trustWeight"))
        .isCloseTo(0.1874, within(1e-3));
    // First's 0.5 over two comparisons may well be 0.6 or more: not held against them.
    assertThat(table.getBoolean(me.formatted(first) + "underThreshold")).isFalse();
    assertThat(table.getList(me.formatted(first) + "underThresholdOn")).isEmpty();
    assertThat(table.getDouble(me.formatted(first) + "trustWeight")).isEqualTo(1.0);
    assertThat(table.getDouble("rule.confidence")).isEqualTo(0.95);
  }

  @Test
  void shouldGiveTheProjectsAgreementAndOrdinalAlphaPerLikertAxis() {
    JsonPath table = table(researcher);

    assertThat(table.getInt("project.contractors")).isEqualTo(3);
    assertThat(table.getInt("project.sharedTasks")).isEqualTo(1);
    assertThat(table.getDouble("project.pairwiseAgreement")).isCloseTo(1.0 / 3, within(1e-6));
    assertThat(table.getDouble("project.kendallTau")).isCloseTo(-1.0 / 3, within(1e-6));
    double expected =
        KrippendorffAlpha.of(List.of(List.of(5.0, 5.0, 1.0)), KrippendorffAlpha.Metric.ORDINAL)
            .getAsDouble();
    assertThat(table.getDouble("project.ratingAlpha.helpful")).isCloseTo(expected, within(1e-9));
    assertThat(table.getString("project.ratingAlpha.truthful")).as("nobody rated it").isNull();
  }

  @Test
  void shouldShowTheTableToResearchersReviewersAndAdminsOnly() {
    table(user("reviewer"));
    table(user("admin"));
    as(first).queryParam("project", project).get("/api/quality/contractors").then().statusCode(403);
    io.restassured.RestAssured.given().get("/api/quality/contractors").then().statusCode(401);
  }

  @Test
  void shouldShowAContractorTheirOwnFiguresAndNobodyElses() {
    String body =
        as(contrarian)
            .queryParam("project", project)
            .get("/api/quality/me")
            .then()
            .statusCode(200)
            .body("username", equalTo(contrarian))
            .body("pairwiseAgreement", equalTo(0.0f))
            .extract()
            .asString();

    assertThat(body).doesNotContain(first).doesNotContain(second);
    as(user("contractor"))
        .queryParam("project", project)
        .get("/api/quality/me")
        .then()
        .statusCode(204);
    as(researcher).get("/api/quality/me").then().statusCode(403);
  }

  @Test
  void shouldAnswerAnUnknownOrMalformedProjectWithAProblem() {
    as(researcher)
        .queryParam("project", "not-a-uuid")
        .get("/api/quality/contractors")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("project"));
    as(researcher)
        .queryParam("project", "00000000-0000-0000-0000-000000000000")
        .get("/api/quality/contractors")
        .then()
        .statusCode(404);
  }
}
