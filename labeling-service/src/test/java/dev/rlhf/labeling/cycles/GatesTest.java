package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What stands between labels and a served policy: the reward-model gate before PPO, the evaluation
 * every policy version carries, and the promotion that needs a passing evaluation or a reason.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class GatesTest {

  private String researcher;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void signUpAResearcher() {
    researcher = Researcher.account("researcher");
  }

  @Test
  void shouldKeepPpoFromAWeakRewardModelUnlessTheResearcherGivesAReason() {
    String project = labelledProject("What is 2 + 2?");
    String weak = "rm-weak-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          weak,
          Kind.REWARD,
          "sft",
          null,
          null,
          TrainingStage.REWARD,
          List.of(),
          Map.of("heldout_accuracy", 0.55),
          List.of(),
          null);
      awaitVersion(weak);

      as(researcher)
          .body(ppoCycle(project, weak, null))
          .post("/api/cycles")
          .then()
          .statusCode(422)
          .body("field", equalTo("rewardVersion"))
          .body("detail", containsString("held-out accuracy of 0.550, below the gate of 0.70"));

      String cycle =
          as(researcher)
              .body(ppoCycle(project, weak, "the arena preferred its samples"))
              .post("/api/cycles")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      TrainingRunRequested ppo = TrainerDouble.command(cycle, TrainingStage.PPO);
      String version = "ppo-gated-" + suffix;
      trainer.publish(ppo, version);
      awaitVersion(version);
      as(researcher)
          .get("/api/cycles/" + cycle)
          .then()
          .body("rewardGateOverride", equalTo("the arena preferred its samples"))
          .body("warnings", equalTo(List.of()));
      assertThat(as(researcher).get("/api/models/" + version).jsonPath().getList("warnings"))
          .singleElement()
          .asString()
          .contains(weak)
          .contains("the arena preferred its samples");
      // Its evaluation was judged by the weak reward model's check: it cannot vouch for it.
      JsonPath evaluated = as(researcher).get("/api/models/" + version).jsonPath();
      assertThat(evaluated.getBoolean("evaluation.passed")).isFalse();
      assertThat(evaluated.getList("evaluation.reasons", String.class))
          .last()
          .asString()
          .contains("the judge, " + weak + "'s check model, has a held-out accuracy of 0.550")
          .contains("cannot vouch for the version");
    }
  }

  @Test
  void shouldStopAChainedCycleBeforePpoWhenItsRewardModelMissesTheGate() {
    String project = labelledProject("Name a colour");
    String cycle =
        as(researcher)
            .body(
                Map.of(
                    "projectId",
                    project,
                    "stages",
                    List.of("REWARD", "PPO"),
                    "baseVersion",
                    "sft-base"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            // One ranking of a short and a longer answer: one pair, too few to measure a reward
            // model on, so the researcher is warned (the cycle still runs).
            .body("snapshot.informativePairs", equalTo(1))
            .body(
                "warnings[0]",
                containsString("give 1 informative preference pairs, fewer than the 500"))
            .extract()
            .path("id");
    try (TrainerDouble trainer = new TrainerDouble()) {
      TrainingRunRequested reward = TrainerDouble.command(cycle, TrainingStage.REWARD);
      trainer.publish(
          "rm-chained-" + suffix,
          Kind.REWARD,
          "sft-base",
          reward.cycleId(),
          reward.runId(),
          TrainingStage.REWARD,
          reward.labelEventIds(),
          Map.of("heldout_accuracy", 0.6),
          List.of(),
          null);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                as(researcher)
                    .get("/api/cycles/" + cycle)
                    .jsonPath()
                    .getString("state")
                    .equals("FAILED"));
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("runs.state", equalTo(List.of("SUCCEEDED", "CANCELLED")))
        .body("failureReason", containsString("below the gate of 0.70: PPO was not started"));
  }

  @Test
  void shouldPromoteOnlyAVersionThatPassedItsEvaluationOrWithAReasonKeptBesideIt() {
    String passed = "policy-passed-" + suffix;
    String failed = "policy-failed-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          passed,
          Kind.POLICY,
          "sft",
          null,
          null,
          TrainingStage.PPO,
          List.of(),
          Map.of(),
          List.of(),
          TrainerDouble.evaluation("sft", true));
      trainer.publish(
          failed,
          Kind.POLICY,
          "sft",
          null,
          null,
          TrainingStage.PPO,
          List.of(),
          Map.of(),
          List.of("PPO stopped at step 12: responses collapsed"),
          TrainerDouble.evaluation("sft", false));
    }
    awaitVersion(passed);
    awaitVersion(failed);

    JsonPath view = as(researcher).get("/api/models/" + failed).jsonPath();
    assertThat(view.getBoolean("evaluation.passed")).isFalse();
    assertThat(view.getList("evaluation.reasons"))
        .singleElement()
        .asString()
        .startsWith("loses to");
    assertThat(view.getString("evaluation.samples[0].parentAnswer")).isEqualTo("6");
    assertThat(view.getList("warnings"))
        .containsExactly("PPO stopped at step 12: responses collapsed");

    as(researcher)
        .post("/api/models/" + failed + "/promote")
        .then()
        .statusCode(409)
        .body("field", equalTo("override"))
        .body("detail", containsString("did not pass its evaluation: loses to its parent"));
    as(researcher)
        .body(Map.of("override", "won 14 of 20 blind arena votes", "projects", List.of()))
        .post("/api/models/" + failed + "/promote")
        .then()
        .statusCode(200);
    as(researcher)
        .get("/api/models/" + failed)
        .then()
        .body("promotionOverride", equalTo("won 14 of 20 blind arena votes"))
        .body("served", equalTo(true));

    as(researcher).post("/api/models/" + passed + "/promote").then().statusCode(200);
    as(researcher).get("/api/models/" + passed).then().body("promotionOverride", nullValue());
  }

  @Test
  void shouldHoldOutAProjectsEvaluationPromptsFromWorkAndSendThemWithEveryPolicyStage() {
    String project = labelledProject("What is 3 + 4?");
    List<String> heldOut = imported(project, "heldOut=true", "What is 5 + 1?", "Name a fruit");
    assertThat(
            as(researcher)
                .get("/api/projects/" + project + "/prompts?size=10")
                .jsonPath()
                .<Boolean>getList("heldOut"))
        .containsExactly(false, true, true);
    as(researcher)
        .contentType("application/x-ndjson")
        .body("{\"prompt\":\"x\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import?heldOut=true&tasks=DEMONSTRATION")
        .then()
        .statusCode(422)
        .body("field", equalTo("tasks"));
    as(researcher)
        .body(Map.of("promptIds", List.of(heldOut.get(0)), "k", 2))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(422)
        .body("detail", containsString("held out for evaluation"));

    String reward = "rm-project-" + suffix;
    String earlier =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("REWARD"), "baseVersion", "sft-0"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(TrainerDouble.command(earlier, TrainingStage.REWARD), reward);
      awaitVersion(reward);
    }
    String cycle =
        as(researcher)
            .body(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TrainingRunRequested sft = TrainerDouble.command(cycle, TrainingStage.SFT);
    assertThat(sft.evaluationPrompts())
        .extracting(turns -> turns.get(0).text())
        .containsExactly("What is 5 + 1?", "Name a fruit");
    assertThat(sft.evaluationRewardVersion()).isEqualTo(reward);
  }

  /** A project with one demonstration and one ranking of the prompt. */
  private String labelledProject(String prompt) {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    List<String> prompts = Researcher.prompts(researcher, project, true, prompt);
    Labels.demonstrate(contractor, project);
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, contractor, project, prompts.get(0));
    }
    return project;
  }

  private List<String> imported(String project, String query, String... texts) {
    StringBuilder jsonl = new StringBuilder();
    for (String t : texts) jsonl.append(Researcher.json(Map.of("prompt", t))).append('\n');
    return as(researcher)
        .contentType("application/x-ndjson")
        .body(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import?" + query)
        .then()
        .statusCode(200)
        .extract()
        .path("promptIds");
  }

  private static Map<String, Object> ppoCycle(String project, String reward, String override) {
    Map<String, Object> body = new HashMap<>();
    body.put("projectId", project);
    body.put("stages", List.of("PPO"));
    body.put("baseVersion", "sft-base");
    body.put("rewardVersion", reward);
    if (override != null) body.put("rewardGateOverride", override);
    return body;
  }

  private void awaitVersion(String version) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);
  }
}
