package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.labeling.service.FigureCompaction;
import dev.rlhf.labeling.service.StatisticsService;
import dev.rlhf.labeling.service.StatisticsService.DatasetStatistics;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The dashboard statistics, read from the figures the database keeps, equal a recount of the
 * project's rows (the queries the service ran before, {@link StatisticsRecount}) after each kind of
 * change the API makes: submissions, an idempotent resubmission, a refused second submission,
 * ratings replaced, a skip, and a review's rejection and correction.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class StatisticsFiguresTest {

  @Inject AgroalDataSource dataSource;
  @Inject FigureCompaction compaction;

  @Test
  void shouldShowTheRecountedFiguresAfterSubmissionsResubmissionsRatingsAndReviews()
      throws Exception {
    String researcher = user("researcher");
    String project = project(researcher, 1, 2);
    List<String> ids = prompts(researcher, project, "NONE", "Agreed", "Disputed");
    rankingTask(researcher, project, ids.get(0), "x", "y", "z");
    rankingTask(researcher, project, ids.get(1), "p", "q", "r");
    assertRecounted(project);

    String first = user("contractor");
    String second = user("contractor");
    String firstRanking = null;
    String lastRanking = null;
    List<String> lastShown = null;
    for (String contractor : List.of(first, second)) {
      for (int task = 0; task < 2; task++) {
        JsonPath assignment = next(contractor, project);
        List<String> shown = assignment.getList("completions.id");
        boolean disagree =
            contractor.equals(second) && assignment.getString("promptId").equals(ids.get(1));
        List<List<String>> order =
            disagree
                ? List.of(List.of(shown.get(2)), List.of(shown.get(1)), List.of(shown.get(0)))
                : List.of(List.of(shown.get(0)), List.of(shown.get(1)), List.of(shown.get(2)));
        String url = "/api/assignments/" + assignment.getString("assignmentId") + "/ranking";
        String key = UUID.randomUUID().toString();
        String label = submit(contractor, url, key, order, 201);
        // The same submission again with its key answers the first result and stores nothing.
        assertThat(submit(contractor, url, key, order, 201)).isEqualTo(label);
        // Without the key it is refused: the assignment is submitted already.
        submit(contractor, url, null, order, 409);
        if (firstRanking == null) {
          firstRanking = label;
          rate(contractor, assignment, shown.get(0), List.of("HARMFUL", "PII"));
          // Rated again: the new ratings replace the first ones.
          rate(contractor, assignment, shown.get(0), List.of("PII"));
          rate(contractor, assignment, shown.get(1), List.of());
        }
        lastRanking = label;
        lastShown = shown;
      }
      assertRecounted(project);
    }

    // A demonstration, and a demonstration task skipped, which returns its slot to the queue.
    prompts(researcher, project, "DEMONSTRATION", "Write a haiku", "Write a limerick");
    JsonPath demonstration = next(first, project);
    as(first)
        .body(Map.of("response", "Old pond, a frog jumps."))
        .post("/api/assignments/" + demonstration.getString("assignmentId") + "/demonstration")
        .then()
        .statusCode(201);
    String third = user("contractor");
    JsonPath leased = next(third, project);
    assertThat(leased.getString("type")).isEqualTo("DEMONSTRATION");
    assertRecounted(project);
    as(third)
        .body(Map.of("reason", "no"))
        .post("/api/assignments/" + leased.getString("assignmentId") + "/skip")
        .then()
        .statusCode(200);
    assertRecounted(project);

    // Reviews record a verdict beside the label: the statistics count labels as before.
    String reviewer = user("reviewer");
    as(reviewer)
        .body(Map.of("labelId", firstRanking, "decision", "REJECT", "reason", "careless"))
        .post("/api/reviews")
        .then()
        .statusCode(201);
    as(reviewer)
        .body(
            Map.of(
                "labelId",
                lastRanking,
                "decision",
                "CORRECT",
                "correctedOrder",
                List.of(List.of(lastShown.get(1)), List.of(lastShown.get(0), lastShown.get(2)))))
        .post("/api/reviews")
        .then()
        .statusCode(201);
    assertRecounted(project);
    // Folded by the scheduled job's step, the figures read the same.
    compaction.compact();
    assertRecounted(project);

    as(researcher)
        .queryParam("project", project)
        .get("/api/statistics")
        .then()
        .statusCode(200)
        .body("prompts", equalTo(4))
        .body("rankings", equalTo(4))
        .body("demonstrations", equalTo(1))
        .body("informativePairs", equalTo(12))
        .body("rankingAgreement.tasksMeasured", equalTo(2))
        .body("rankingAgreement.meanAgreement", equalTo(0.5f))
        .body("activeContractorsLast24h", equalTo(3))
        .body("ratings", equalTo(1))
        .body("flags.PII", equalTo(1))
        .body("flags.HARMFUL", equalTo(0))
        .body("queue.size()", equalTo(1))
        .body("queue[0].type", equalTo("DEMONSTRATION"))
        .body("queue[0].openTasks", equalTo(1))
        .body("queue[0].openSlots", equalTo(1))
        .body("perDay.size()", equalTo(2))
        .body("perDay[0].type", equalTo("DEMONSTRATION"))
        .body("perDay[1].count", equalTo(4));
  }

  private void assertRecounted(String project) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      DatasetStatistics kept = StatisticsService.of(c, UUID.fromString(project));
      assertThat(kept).isEqualTo(StatisticsRecount.of(c, UUID.fromString(project)));
      assertThat(StatisticsService.of(c, null)).isEqualTo(StatisticsRecount.of(c, null));
    }
  }

  private static String submit(
      String contractor, String url, String key, List<List<String>> order, int status) {
    var request = as(contractor).body(Map.of("order", order));
    if (key != null) request = request.header("Idempotency-Key", key);
    var response = request.post(url).then().statusCode(status);
    return status == 201 ? response.extract().path("labelId") : null;
  }

  private static void rate(
      String contractor, JsonPath assignment, String completion, List<String> flags) {
    as(contractor)
        .body(Map.of("ratings", List.of(Map.of("completionId", completion, "flags", flags))))
        .put("/api/assignments/" + assignment.getString("assignmentId") + "/ratings")
        .then()
        .statusCode(200);
  }
}
