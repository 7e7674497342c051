package dev.rlhf.labeling.selection;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.cycles.Labels;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Active selection by the project's reward model: completion requests name it, the runtime's scores
 * (played here over the real broker) order the ranking tasks by how unsure the reward model and its
 * check model are, and the completions' diversity orders them without scores.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RewardModelSelectionTest {

  private static final String[] ALIKE = {"The cat sat on the mat.", "The cat sat on a mat."};
  private static final String[] SOMEWHAT = {"The cat sat on the mat.", "A dog slept on the mat."};
  private static final String[] DIFFERENT = {"Seven.", "Blue whales swim far away."};

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void shouldHandOutFirstTheTasksTheRewardModelsCannotTellApartOrDisagreeOn() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    String rm = rewardModel(researcher, project, "rm-sel-" + suffix, 0.9);
    uncertainty(researcher, project);
    List<String> ids = prompts(researcher, project, "NONE", "sure", "unsure", "torn");

    List<CompletionsRequested> requests = request(researcher, project, ids);

    assertThat(requests).extracting(CompletionsRequested::rewardVersion).containsOnly(rm);
    try (TrainerDouble runtime = new TrainerDouble()) {
      // Sure: the two models agree by a wide margin, though the texts differ most.
      runtime.answerScored(requests.get(0), List.of(4.0, -4.0), List.of(3.0, -3.0), DIFFERENT);
      // Unsure: neither model can tell two near-copies apart.
      runtime.answerScored(requests.get(1), List.of(0.1, 0.0), List.of(0.2, 0.0), ALIKE);
      // Torn: each model is sure, of opposite orders.
      runtime.answerScored(requests.get(2), List.of(3.0, -3.0), List.of(-3.0, 3.0), SOMEWHAT);
    }
    List<Map<String, Object>> queue = queue(researcher, project, 3);

    assertThat(queue).extracting(q -> text(q)).containsExactly("torn", "unsure", "sure");
    assertThat(queue).extracting(q -> q.get("selectionSignal")).containsOnly("REWARD_MODEL");
    assertThat(queue).extracting(q -> q.get("rewardVersion")).containsOnly(rm);
    assertThat(score(queue.get(0))).isCloseTo(1.0, within(1e-6));
    assertThat(score(queue.get(1))).isBetween(0.99, 0.999);
    assertThat(score(queue.get(2))).isLessThan(0.01);
    assertThat(completionScores(queue.get(2), "rewardScore")).containsExactly(4.0, -4.0);
    assertThat(completionScores(queue.get(2), "checkRewardScore")).containsExactly(3.0, -3.0);
    // Contractors are handed them in that order, without the scores.
    String contractor = user("contractor");
    List<String> handedOut = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonPath task = next(contractor, project);
      assertThat(task.prettify()).doesNotContain("rewardScore").doesNotContain("selection");
      handedOut.add(task.getString("conversation[0].text"));
      as(contractor)
          .body(Map.of("reason", "ordering check"))
          .post("/api/assignments/" + task.getString("assignmentId") + "/skip")
          .then()
          .statusCode(200);
    }
    assertThat(handedOut).containsExactly("torn", "unsure", "sure");
  }

  @Test
  void shouldOrderByDiversityWhereScoringFailedAndSayWhichSignalOrderedEachTask() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    String rm = rewardModel(researcher, project, "rm-fallback-" + suffix, 0.9);
    uncertainty(researcher, project);
    List<String> ids = prompts(researcher, project, "NONE", "scored", "unscored");

    List<CompletionsRequested> requests = request(researcher, project, ids);
    try (TrainerDouble runtime = new TrainerDouble()) {
      // 4 p (1 - p) with p = sigmoid(1): 0.79.
      runtime.answerScored(requests.get(0), List.of(1.0, 0.0), List.of(), SOMEWHAT);
      // The runtime could not score: the texts share no word, a diversity of 1.
      runtime.answer(requests.get(1), DIFFERENT);
    }
    List<Map<String, Object>> queue = queue(researcher, project, 2);

    assertThat(queue).extracting(q -> text(q)).containsExactly("unscored", "scored");
    assertThat(queue)
        .extracting(q -> q.get("selectionSignal"))
        .containsExactly("DIVERSITY", "REWARD_MODEL");
    assertThat(queue).extracting(q -> q.get("rewardVersion")).containsExactly(null, rm);
    assertThat(score(queue.get(0))).isEqualTo(1.0);
    assertThat(score(queue.get(1))).isBetween(0.78, 0.79);
    assertThat(completionScores(queue.get(0), "rewardScore")).containsExactly(null, null);
    assertThat(completionScores(queue.get(1), "checkRewardScore")).containsExactly(null, null);
  }

  @Test
  void shouldAskForNoScoresWithoutAUsableRewardModelOrUnderRandomSelection() {
    String researcher = user("researcher");
    String none = project(researcher, 1, 1);
    uncertainty(researcher, none);
    String weak = project(researcher, 1, 1);
    rewardModel(researcher, weak, "rm-weak-" + suffix, 0.55);
    uncertainty(researcher, weak);
    String random = project(researcher, 1, 1);
    rewardModel(researcher, random, "rm-random-" + suffix, 0.9);

    for (String project : List.of(none, weak, random)) {
      List<String> ids = prompts(researcher, project, "NONE", "alike", "different");
      List<CompletionsRequested> requests = request(researcher, project, ids);
      assertThat(requests)
          .extracting(CompletionsRequested::rewardVersion)
          .containsOnly((String) null);
      try (TrainerDouble runtime = new TrainerDouble()) {
        runtime.answer(requests.get(0), ALIKE);
        runtime.answer(requests.get(1), DIFFERENT);
      }
      List<Map<String, Object>> queue = queue(researcher, project, 2);
      if (project.equals(random)) {
        // Unscored, in the order the answers arrived, as before.
        assertThat(queue).extracting(q -> q.get("selectionScore")).containsOnly((Object) null);
        assertThat(queue).extracting(q -> q.get("selectionSignal")).containsOnly((Object) null);
      } else {
        assertThat(queue).extracting(q -> text(q)).containsExactly("different", "alike");
        assertThat(queue).extracting(q -> q.get("selectionSignal")).containsOnly("DIVERSITY");
      }
    }
    as(user("contractor")).get("/api/projects/" + none + "/selection-queue").then().statusCode(403);
  }

  /**
   * A reward model of the project with the given held-out accuracy, as a REWARD cycle of the
   * project publishes it (one real ranking in its snapshot).
   */
  private static String rewardModel(
      String researcher, String project, String version, double accuracy) {
    String prompt = prompts(researcher, project, "NONE", "What is 1 + 1?").get(0);
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, Researcher.contractor(), project, prompt);
      String cycle =
          as(researcher)
              .body(
                  Map.of("projectId", project, "stages", List.of("REWARD"), "baseVersion", "sft-0"))
              .post("/api/cycles")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      TrainingRunRequested run = TrainerDouble.command(cycle, TrainingStage.REWARD);
      trainer.publish(
          version,
          Kind.REWARD,
          "sft-0",
          run.cycleId(),
          run.runId(),
          TrainingStage.REWARD,
          run.labelEventIds(),
          Map.of("heldout_accuracy", accuracy),
          List.of(),
          null);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);
    return version;
  }

  private static void uncertainty(String researcher, String project) {
    as(researcher)
        .body(Map.of("selection", "uncertainty"))
        .patch("/api/projects/" + project)
        .then()
        .statusCode(200);
  }

  /** Asks for two completions of each prompt; the requests as the runtime receives them. */
  private static List<CompletionsRequested> request(
      String researcher, String project, List<String> promptIds) {
    List<String> made =
        as(researcher)
            .body(Map.of("promptIds", promptIds, "k", 2))
            .post("/api/projects/" + project + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("requestId");
    List<UUID> ids = made.stream().map(UUID::fromString).toList();
    List<CompletionsRequested> seen =
        TrainerDouble.await(
            Topic.COMPLETION_REQUESTS,
            CompletionsRequested.class,
            r -> ids.contains(r.requestId()),
            ids.size());
    return ids.stream()
        .map(id -> seen.stream().filter(r -> r.requestId().equals(id)).findFirst().orElseThrow())
        .toList();
  }

  /** The project's selection queue once it holds {@code size} tasks. */
  private static List<Map<String, Object>> queue(String researcher, String project, int size) {
    List<List<Map<String, Object>>> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<Map<String, Object>> queue =
                  as(researcher)
                      .get("/api/projects/" + project + "/selection-queue")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getList("$");
              seen.add(0, queue);
              return queue.size() == size;
            });
    return seen.get(0);
  }

  private static double score(Map<String, Object> queued) {
    return ((Number) queued.get("selectionScore")).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Double> completionScores(Map<String, Object> queued, String field) {
    return ((List<Map<String, Object>>) queued.get("completions"))
        .stream()
            .map(c -> c.get(field) == null ? null : ((Number) c.get(field)).doubleValue())
            .toList();
  }

  @SuppressWarnings("unchecked")
  private static String text(Map<String, Object> queued) {
    return ((Map<String, Object>) ((List<Object>) queued.get("conversation")).get(0))
        .get("text")
        .toString();
  }
}
