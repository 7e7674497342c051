package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> export(String researcher, String kind, Map<String, ?> params)
      throws Exception {
    String body =
        as(researcher)
            .queryParams(params)
            .get("/api/exports/" + kind)
            .then()
            .statusCode(200)
            .contentType("application/x-ndjson")
            .extract()
            .asString();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) if (!line.isBlank()) lines.add(JSON.readTree(line));
    return lines;
  }

  private static void rank(String contractor, String project, List<List<Integer>> order) {
    JsonPath task = next(contractor, project);
    List<String> ids = task.getList("completions.id");
    List<List<String>> groups = order.stream().map(g -> g.stream().map(ids::get).toList()).toList();
    as(contractor)
        .body(Map.of("order", groups))
        .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);
  }

  @Test
  void shouldExportDemonstrationsAsChatMessages() throws Exception {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Capital of France?");
    String assignment = next(contractor, project).getString("assignmentId");
    as(contractor)
        .body(Map.of("response", "Paris."))
        .post("/api/assignments/" + assignment + "/demonstration")
        .then()
        .statusCode(201);

    List<JsonNode> lines = export(researcher, "sft", Map.of("project", project));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).toString())
        .isEqualTo(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Paris.\"}]}");
    assertThat(export(researcher, "sft", Map.of("project", project, "guidelineVersion", 2)))
        .isEmpty();
  }

  @Test
  void shouldExportEveryPreferencePairWithoutTiesAndTheBetterResponseOverAll() throws Exception {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    List<String> ids = prompts(researcher, project, "NONE", "Rank these", "All bad?");
    rankingTask(researcher, project, ids.get(0), "best", "tie-1", "tie-2");
    rank(contractor, project, List.of(List.of(0), List.of(1, 2)));
    rankingTask(researcher, project, ids.get(1), "<script>alert(1)</script>", "nonsense");
    JsonPath allBad = next(contractor, project);
    as(contractor)
        .body(Map.of("allBad", true, "betterResponse", "A better answer"))
        .post("/api/assignments/" + allBad.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);

    List<JsonNode> pairs = export(researcher, "preferences", Map.of("project", project));

    assertThat(pairs)
        .extracting(
            p -> p.at("/chosen/0/content").asText() + " > " + p.at("/rejected/0/content").asText())
        .containsExactlyInAnyOrder(
            "best > tie-1",
            "best > tie-2",
            "A better answer > <script>alert(1)</script>",
            "A better answer > nonsense");
    assertThat(pairs.get(0).at("/prompt/0/role").asText()).isEqualTo("user");
    assertThat(pairs.get(0).at("/chosen/0/role").asText()).isEqualTo("assistant");
    // The statistics count the pairs by the export's rule, not only the rankings.
    as(researcher)
        .queryParam("project", project)
        .get("/api/statistics")
        .then()
        .statusCode(200)
        .body("rankings", equalTo(2))
        .body("informativePairs", equalTo(pairs.size()));
  }

  @Test
  void shouldKeepOnlyRankingsOfTasksWhoseRankersAgreedEnough() throws Exception {
    String researcher = user("researcher");
    String project = project(researcher, 1, 2);
    List<String> ids = prompts(researcher, project, "NONE", "Agreed", "Disputed");
    rankingTask(researcher, project, ids.get(0), "x", "y");
    String first = user("contractor");
    String second = user("contractor");
    rank(first, project, List.of(List.of(0), List.of(1)));
    rank(second, project, List.of(List.of(0), List.of(1)));
    rankingTask(researcher, project, ids.get(1), "p", "q");
    rank(first, project, List.of(List.of(0), List.of(1)));
    rank(second, project, List.of(List.of(1), List.of(0)));

    List<JsonNode> agreed =
        export(researcher, "preferences", Map.of("project", project, "minAgreement", 0.9));

    assertThat(agreed)
        .extracting(p -> p.at("/chosen/0/content").asText())
        .containsExactly("x", "x");
    assertThat(export(researcher, "preferences", Map.of("project", project))).hasSize(4);
    as(researcher)
        .queryParam("project", project)
        .get("/api/statistics")
        .then()
        .statusCode(200)
        .body("rankings", equalTo(4))
        .body("rankingAgreement.tasksMeasured", equalTo(2))
        .body("rankingAgreement.meanAgreement", equalTo(0.5f))
        .body("activeContractorsLast24h", equalTo(2));
    as(first)
        .get("/api/me/statistics")
        .then()
        .body("rankings", equalTo(2))
        .body("demonstrations", equalTo(0))
        .body("today.rankings", equalTo(2))
        .body("today.demonstrations", equalTo(0));
  }

  @Test
  void shouldGiveIdenticalCompletionsOnePairAndNameABadFilterValue() throws Exception {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    List<String> ids = prompts(researcher, project, "NONE", "Say it");
    // Identical texts are one completion to rank, so they give one pair, never a pair with itself.
    rankingTask(researcher, project, ids.get(0), "same", "same", "other");
    rank(user("contractor"), project, List.of(List.of(0), List.of(1)));

    assertThat(export(researcher, "preferences", Map.of("project", project)))
        .extracting(
            p -> p.at("/chosen/0/content").asText() + ">" + p.at("/rejected/0/content").asText())
        .containsExactly("same>other");
    for (Map.Entry<String, String> bad :
        Map.of("guidelineVersion", "v2", "minAgreement", "NaN").entrySet()) {
      as(researcher)
          .queryParam(bad.getKey(), bad.getValue())
          .get("/api/exports/preferences")
          .then()
          .statusCode(anyOf(equalTo(400), equalTo(422)))
          .contentType("application/problem+json")
          .body("field", equalTo(bad.getKey()));
    }
  }

  @Test
  void shouldBrowseLabelsByContractorAndType() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "One", "Two");
    for (int i = 0; i < 2; i++) {
      as(contractor)
          .body(Map.of("response", "Answer " + i))
          .post(
              "/api/assignments/"
                  + next(contractor, project).getString("assignmentId")
                  + "/demonstration")
          .then()
          .statusCode(201);
    }

    as(user("reviewer"))
        .queryParam("project", project)
        .queryParam("contractor", contractor)
        .queryParam("type", "demonstration")
        .get("/api/labels")
        .then()
        .statusCode(200)
        .body("size()", equalTo(2))
        .body("[0].contractor", equalTo(contractor))
        .body("[0].guidelineVersion", equalTo(1));
    as(researcher)
        .queryParam("project", project)
        .queryParam("type", "RANKING")
        .get("/api/labels")
        .then()
        .body("size()", equalTo(0));
  }
}
