package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports and training snapshots take one filter: under every filter the SFT export holds exactly
 * the demonstrations a snapshot freezes, and the preference export exactly its rankings. Rejected
 * labels and contractors' answers to gold tasks are in neither; the new filters (contractors and
 * gold accuracy on both, minimum agreement on snapshots) narrow both alike.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DatasetFilterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String researcher;
  private static String project;
  private static String good;
  private static String bad;

  /**
   * Two contractors answer everything: three demonstration tasks (one gold, with a checklist) and
   * three ranking tasks (one gold; they agree on one and disagree on the other). The careful one
   * meets the gold pair, the other reverses it (made once for the class). A reviewer rejects one of
   * the careful one's demonstrations and accepts the other.
   */
  @BeforeEach
  void twoContractorsAnswerEverything() {
    if (project != null) return;
    researcher = user("researcher");
    project = LabelingApi.project(researcher, 2, 2);
    List<String> demos =
        prompts(researcher, project, "DEMONSTRATION", "First question?", "Second question?");
    String goldDemo = prompts(researcher, project, "DEMONSTRATION", "Gold question?").get(0);
    List<String> ranked =
        prompts(researcher, project, "NONE", "Agreed pick?", "Disputed pick?", "Gold pick?");
    rankingTask(researcher, project, ranked.get(0), "yes", "no");
    rankingTask(researcher, project, ranked.get(1), "up", "down");
    rankingTask(researcher, project, ranked.get(2), "right", "wrong");
    as(researcher)
        .body(Map.of("checklist", List.of("Answers the question")))
        .put("/api/tasks/" + taskOf(goldDemo) + "/gold")
        .then()
        .statusCode(200);
    List<String> goldPick = completions(ranked.get(2));
    as(researcher)
        .body(Map.of("better", goldPick.get(0), "worse", goldPick.get(1)))
        .put("/api/tasks/" + taskOf(ranked.get(2)) + "/gold")
        .then()
        .statusCode(200);
    as(researcher)
        .body(Map.of("rate", 1))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(200);

    good = user("contractor");
    bad = user("contractor");
    Map<String, String> goodLabels = answerEverything(good, List.of("right", "yes", "up"));
    answerEverything(bad, List.of("wrong", "yes", "down"));
    String reviewer = user("reviewer");
    review(reviewer, goodLabels.get("First question?"), "REJECT");
    review(reviewer, goodLabels.get("Second question?"), "ACCEPT");
  }

  @Test
  void shouldLeaveRejectedAndGoldAnswersOutOfBoth() {
    Dataset both = both(Map.of(), Map.of());
    assertThat(both.demonstrations())
        .containsExactlyInAnyOrder(
            bad + " on First question?",
            good + " on Second question?",
            bad + " on Second question?");
    assertThat(both.preferred()).containsExactlyInAnyOrder("yes", "yes", "up", "down");
  }

  @Test
  void shouldNarrowBothToTheNamedContractors() {
    Dataset both = both(Map.of("contractors", List.of(good)), Map.of("contractor", good));
    assertThat(both.demonstrations()).containsExactly(good + " on Second question?");
    assertThat(both.preferred()).containsExactlyInAnyOrder("yes", "up");
  }

  @Test
  void shouldKeepOnlyRankingsOfTasksWhoseRankersAgreed() {
    Dataset both = both(Map.of("minAgreement", 0.5), Map.of("minAgreement", "0.5"));
    assertThat(both.preferred()).containsExactly("yes", "yes");
    assertThat(both.demonstrations()).as("demonstrations have no agreement").hasSize(3);
  }

  @Test
  void shouldLeaveOutTheLabelsOfContractorsFailingGold() {
    Dataset both = both(Map.of("minGoldAccuracy", 0.75), Map.of("minGoldAccuracy", "0.75"));
    assertThat(both.demonstrations()).containsExactly(good + " on Second question?");
    assertThat(both.preferred()).containsExactlyInAnyOrder("yes", "up");
  }

  @Test
  void shouldTakeReviewedLabelsOnlyWhenAsked() {
    Map<String, Object> cycle = cycle(List.of("SFT"), Map.of("reviewedOnly", true));
    String id = start(cycle);
    assertThat(snapshot(id, "DEMONSTRATION")).containsExactly(good + " on Second question?");
    assertThat(sft(Map.of("reviewedOnly", "true"))).containsExactly(good + " on Second question?");
    assertThat(preferred(Map.of("reviewedOnly", "true"))).isEmpty();
  }

  @Test
  void shouldNameABadFilterValue() {
    as(researcher)
        .queryParam("project", project)
        .queryParam("minGoldAccuracy", "2")
        .get("/api/exports/sft")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", org.hamcrest.Matchers.equalTo("minGoldAccuracy"));
    as(researcher)
        .body(cycle(List.of("SFT"), Map.of("minAgreement", -1)))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", org.hamcrest.Matchers.equalTo("snapshot.minAgreement"));
  }

  /** What a snapshot under one filter froze, checked to equal what the exports wrote under it. */
  private record Dataset(List<String> demonstrations, List<String> preferred) {}

  private Dataset both(Map<String, Object> snapshotFilter, Map<String, Object> exportParams) {
    String id = start(cycle(List.of("SFT", "REWARD"), snapshotFilter));
    List<String> demonstrations = snapshot(id, "DEMONSTRATION");
    List<String> preferred = snapshot(id, "RANKING");
    assertThat(sft(exportParams)).containsExactlyInAnyOrderElementsOf(demonstrations);
    assertThat(preferred(exportParams)).containsExactlyInAnyOrderElementsOf(preferred);
    return new Dataset(demonstrations, preferred);
  }

  private static Map<String, String> answerEverything(
      String contractor, List<String> firstChoices) {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      JsonPath task = next(contractor, "DEMONSTRATION");
      String prompt = task.getString("conversation[-1].text");
      String response =
          prompt.equals("Gold question?") ? "gold by " + contractor : contractor + " on " + prompt;
      labels.put(
          prompt,
          as(contractor)
              .body(Map.of("response", response, "timeSpentMs", 1_000))
              .post("/api/assignments/" + task.getString("assignmentId") + "/demonstration")
              .then()
              .statusCode(201)
              .extract()
              .path("labelId"));
    }
    for (int i = 0; i < 3; i++) {
      JsonPath task = next(contractor, "RANKING");
      List<Map<String, String>> shown = task.getList("completions");
      List<List<String>> order = new ArrayList<>();
      for (Map<String, String> c : shown) {
        if (firstChoices.contains(c.get("text"))) order.add(0, List.of(c.get("id")));
        else order.add(List.of(c.get("id")));
      }
      as(contractor)
          .body(Map.of("order", order, "timeSpentMs", 1_000))
          .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
          .then()
          .statusCode(201);
    }
    return labels;
  }

  private static JsonPath next(String contractor, String type) {
    return as(contractor)
        .queryParam("project", project)
        .queryParam("type", type)
        .post("/api/tasks/next")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static void review(String reviewer, String label, String decision) {
    as(reviewer)
        .body(Map.of("labelId", label, "decision", decision, "reason", "checked"))
        .post("/api/reviews")
        .then()
        .statusCode(201);
  }

  private Map<String, Object> cycle(List<String> stages, Map<String, Object> snapshot) {
    Map<String, Object> cycle = new HashMap<>();
    cycle.put("projectId", project);
    cycle.put("stages", stages);
    cycle.put("baseVersion", "base-" + UUID.randomUUID());
    cycle.put("snapshot", snapshot);
    return cycle;
  }

  private String start(Map<String, Object> cycle) {
    return as(researcher)
        .body(cycle)
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** The snapshot's labels of one type: a demonstration's response, a ranking's first choice. */
  private List<String> snapshot(String cycle, String type) {
    return as(researcher)
        .get("/api/cycles/" + cycle + "/labels")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("findAll { it.type == '" + type + "' }.response");
  }

  private List<String> sft(Map<String, Object> params) {
    return lines("/api/exports/sft", params).stream()
        .map(line -> line.get("messages").get(line.get("messages").size() - 1))
        .map(m -> m.get("content").asText())
        .toList();
  }

  private List<String> preferred(Map<String, Object> params) {
    return lines("/api/exports/preferences", params).stream()
        .map(line -> line.get("chosen").get(0).get("content").asText())
        .toList();
  }

  private List<JsonNode> lines(String path, Map<String, Object> params) {
    String body =
        as(researcher)
            .queryParam("project", project)
            .queryParams(params)
            .get(path)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) continue;
      try {
        out.add(JSON.readTree(line));
      } catch (java.io.IOException e) {
        throw new AssertionError(line, e);
      }
    }
    return out;
  }

  private static String taskOf(String promptId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> Task.<Task>find("promptId", UUID.fromString(promptId)).firstResult().id)
        .toString();
  }

  /** The gold pick's completion ids, "right" then "wrong". */
  private static List<String> completions(String promptId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Map<String, String> ids = new HashMap<>();
              for (var c :
                  Task.<Task>find("promptId", UUID.fromString(promptId))
                      .firstResult()
                      .completions) {
                ids.put(c.text, c.id.toString());
              }
              return List.of(ids.get("right"), ids.get("wrong"));
            });
  }
}
