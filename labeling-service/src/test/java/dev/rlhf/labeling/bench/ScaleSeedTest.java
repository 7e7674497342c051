package dev.rlhf.labeling.bench;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.unique;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.StatisticsRecount;
import dev.rlhf.labeling.service.StatisticsService;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scale generator at a tiny size: its counts, and a service that works on what it made. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ScaleSeedTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void shouldFillAProjectThatHandsOutAndAcceptsLabels() throws Exception {
    ScaleSeed.Made made;
    try (Connection connection = dataSource.getConnection()) {
      ScaleSeed seed = new ScaleSeed(connection);
      List<String> labelers = seed.contractors(unique("labeler"), 5);
      made = seed.project(unique("scale"), 200, labelers);
      String p = made.projectId().toString();
      assertThat(count(connection, "select count(*) from prompt where project_id = ?", p))
          .isEqualTo(200);
      assertThat(count(connection, "select count(*) from task where project_id = ?", p))
          .isEqualTo(200);
      assertThat(count(connection, "select count(*) from ranking where project_id = ?", p))
          .isEqualTo(380);
      assertThat(count(connection, "select count(*) from demonstration where project_id = ?", p))
          .isEqualTo(20);
      assertThat(made.labels()).isEqualTo(400);
      assertThat(
              count(
                  connection,
                  "select count(*) from ranking_entry e join ranking r on r.id = e.ranking_id"
                      + " where r.project_id = ?",
                  p))
          .isEqualTo(380 * 3);
      assertThat(
              count(
                  connection,
                  "select count(*) from outbox_event where published_at is not null"
                      + " and (payload ->> 'projectId') = ?",
                  p))
          .isEqualTo(400);
      assertThat(
              count(
                  connection,
                  "select count(*) from task where project_id = ? and state = 'OPEN'"
                      + " and slots_taken < answers_wanted",
                  p))
          .isEqualTo(160);
      // Its dashboard figures were recounted after the load, which ran without triggers.
      assertThat(StatisticsService.of(connection, made.projectId()))
          .isEqualTo(StatisticsRecount.of(connection, made.projectId()));
    }
    String project = made.projectId().toString();

    // Dashboards read the generated labels as any others.
    String researcher = user("researcher");
    JsonPath statistics =
        as(researcher).queryParam("project", project).get("/api/statistics").jsonPath();
    assertThat(statistics.getLong("rankings")).isEqualTo(380);
    assertThat(statistics.getLong("demonstrations")).isEqualTo(20);
    assertThat(statistics.getLong("informativePairs")).isEqualTo(380 * 3);

    // The label browser pages by cursor to the same labels as by offset, newest first.
    JsonPath first =
        as(researcher)
            .queryParam("project", project)
            .queryParam("limit", 50)
            .get("/api/labels")
            .jsonPath();
    JsonPath second =
        as(researcher)
            .queryParam("project", project)
            .queryParam("limit", 50)
            .queryParam(
                "after", first.getString("[49].createdAt") + "_" + first.getString("[49].id"))
            .get("/api/labels")
            .jsonPath();
    JsonPath byOffset =
        as(researcher)
            .queryParam("project", project)
            .queryParam("limit", 50)
            .queryParam("offset", 50)
            .get("/api/labels")
            .jsonPath();
    assertThat(second.getList("id")).hasSize(50).isEqualTo(byOffset.getList("id"));
    assertThat(second.getList("id")).doesNotContainAnyElementsOf(first.getList("id"));
    assertThat(second.getString("[0].createdAt"))
        .isLessThanOrEqualTo(first.getString("[49].createdAt"));
    assertThat(first.getList("ranks").stream().filter(java.util.Objects::nonNull)).isNotEmpty();
    as(researcher)
        .queryParam("after", "yesterday")
        .get("/api/labels")
        .then()
        .statusCode(400)
        .body("field", org.hamcrest.Matchers.equalTo("after"));

    // A new contractor gets an open ranking task of the project and submits a ranking.
    String contractor = user("contractor");
    JsonPath task = next(contractor, project);
    assertThat(task.getString("type")).isEqualTo("RANKING");
    List<String> shown = task.getList("completions.id");
    assertThat(shown).hasSize(3);
    as(contractor)
        .body(Map.of("order", List.of(List.of(shown.get(2)), List.of(shown.get(0), shown.get(1)))))
        .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);
    assertThat(
            admin()
                .queryParam("project", project)
                .get("/api/statistics")
                .jsonPath()
                .getLong("rankings"))
        .isEqualTo(381);
  }

  private static long count(Connection connection, String sql, String project) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, java.util.UUID.fromString(project));
      if (sql.contains("->>")) statement.setString(1, project);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
