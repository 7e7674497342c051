package dev.rlhf.labeling.registry;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RegistryTest {

  private String researcher;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void signUpAResearcher() {
    researcher = Researcher.account("researcher");
  }

  @Test
  void shouldTraceLabelsToVersionsAndVersionsToLabelsThroughParentsAndRewardModels() {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Why is the sky blue?");
    ScriptedContractor contractor = Researcher.contractor();
    contractor.workThrough(
        project,
        "DEMONSTRATION",
        task -> {
          contractor.demonstrate(task, prompt -> "Rayleigh scattering");
          return true;
        });
    UUID demonstration =
        TrainerDouble.await(
                Topic.DEMONSTRATIONS,
                DemonstrationSubmitted.class,
                d -> d.projectId().toString().equals(project),
                1)
            .get(0)
            .eventId();
    UUID unrelated = UUID.randomUUID();

    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          "sft-" + suffix,
          Kind.POLICY,
          "base",
          null,
          null,
          TrainingStage.SFT,
          List.of(demonstration));
      trainer.publish(
          "rm-" + suffix,
          Kind.REWARD,
          "base",
          null,
          null,
          TrainingStage.REWARD,
          List.of(unrelated));
      trainer.publish(
          "other-" + suffix,
          Kind.POLICY,
          "base",
          null,
          null,
          TrainingStage.SFT,
          List.of(unrelated));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/other-" + suffix).statusCode() == 200);
    // A PPO version names its reward model only through the run that made it: use a cycle.
    String cycle =
        as(researcher)
            .body(
                Map.of(
                    "projectId",
                    project,
                    "stages",
                    List.of("PPO"),
                    "baseVersion",
                    "sft-" + suffix,
                    "rewardVersion",
                    "rm-" + suffix))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(TrainerDouble.command(cycle, TrainingStage.PPO), "ppo-" + suffix);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/ppo-" + suffix).statusCode() == 200);

    as(researcher)
        .get("/api/models/ppo-" + suffix)
        .then()
        .body("parentVersion", equalTo("sft-" + suffix))
        .body("rewardVersion", equalTo("rm-" + suffix))
        .body("cycleId", equalTo(cycle))
        .body("checkpointPath", equalTo("/checkpoints/ppo-" + suffix));
    List<String> labels =
        as(researcher)
            .get("/api/models/ppo-" + suffix + "/labels")
            .then()
            .statusCode(200)
            .extract()
            .path("eventId");
    assertThat(labels).contains(demonstration.toString(), unrelated.toString());
    as(researcher)
        .get("/api/models/sft-" + suffix + "/labels")
        .then()
        .body("eventId", equalTo(List.of(demonstration.toString())))
        .body("[0].response", equalTo("Rayleigh scattering"))
        .body("[0].prompt", equalTo("Why is the sky blue?"));

    List<Map<String, Object>> influenced =
        as(researcher)
            .get("/api/labels/" + demonstration + "/versions")
            .then()
            .statusCode(200)
            .extract()
            .path("");
    assertThat(influenced)
        .extracting(v -> v.get("version") + ":" + v.get("direct"))
        // The PPO run's snapshot held the demonstration too, so PPO trained on it directly.
        .containsExactlyInAnyOrder("sft-" + suffix + ":true", "ppo-" + suffix + ":true");
    List<Map<String, Object>> throughReward =
        as(researcher).get("/api/labels/" + unrelated + "/versions").then().extract().path("");
    assertThat(throughReward)
        .extracting(v -> v.get("version") + ":" + v.get("direct"))
        .containsExactlyInAnyOrder(
            "rm-" + suffix + ":true", "other-" + suffix + ":true", "ppo-" + suffix + ":false");
    as(researcher).get("/api/labels/" + UUID.randomUUID() + "/versions").then().statusCode(404);
  }

  @Test
  void shouldPublishThePromotionAndTurnTheNewPolicysFreshCompletionsIntoRankingTasks() {
    String project = Researcher.project(researcher, 1);
    List<String> prompts = Researcher.prompts(researcher, project, false, "Add 2 and 3");
    String version = "promoted-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(version, Kind.POLICY, "base", null, null, TrainingStage.PPO, List.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);

      // No labels trained this version, so the researcher names the project to label for.
      JsonPath promotion =
          as(researcher)
              .contentType("application/json")
              .body(Map.of("projects", List.of(project)))
              .post("/api/models/" + version + "/promote")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(promotion.getInt("completionRequests")).isPositive();
      assertThat(promotion.getString("projectsFrom")).isEqualTo("REQUEST");
      assertThat(promotion.getList("projects.id")).containsExactly(project);

      PolicyVersionPromoted promoted =
          TrainerDouble.await(
                  Topic.MODEL_VERSIONS,
                  PolicyVersionPromoted.class,
                  p -> p.version().equals(version),
                  1)
              .get(0);
      assertThat(promoted.checkpointPath()).isEqualTo("/checkpoints/" + version);
      CompletionsRequested request =
          TrainerDouble.await(
                  Topic.COMPLETION_REQUESTS,
                  CompletionsRequested.class,
                  r ->
                      version.equals(r.policyVersion())
                          && r.promptId().toString().equals(prompts.get(0)),
                  1)
              .get(0);
      assertThat(request.n()).isEqualTo(4);
      trainer.answer(request, "5", "6", "five", "23");
    }
    ScriptedContractor contractor = Researcher.contractor();
    AtomicReference<JsonPath> task = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              contractor.nextTask(project, "RANKING").ifPresent(task::set);
              return task.get() != null;
            });
    assertThat(task.get().getList("completions.policyVersion")).containsOnly(version);
    assertThat(task.get().getList("completions.text"))
        .containsExactlyInAnyOrder("5", "6", "five", "23");
    contractor.rank(task.get(), Comparator.comparing((String t) -> !t.equals("5")));
    as(researcher).get("/api/models?kind=POLICY").then().statusCode(200);
    assertThat(
            as(researcher).get("/api/models/" + version).then().extract().<Boolean>path("served"))
        .isTrue();
    TrainerDouble.await(
        Topic.RANKINGS, RankingSubmitted.class, r -> r.projectId().toString().equals(project), 1);
  }

  @Test
  void shouldAskForFreshCompletionsOnlyInTheProjectsWhoseLabelsTrainedThePromotedVersion() {
    String trained = Researcher.project(researcher, 1);
    String unrelated = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, trained, true, "Name a primary colour");
    Researcher.prompts(researcher, unrelated, false, "Name a planet", "Name a river");
    ScriptedContractor contractor = Researcher.contractor();
    contractor.workThrough(
        trained,
        "DEMONSTRATION",
        task -> {
          contractor.demonstrate(task, prompt -> "Red");
          return true;
        });
    UUID demonstration =
        TrainerDouble.await(
                Topic.DEMONSTRATIONS,
                DemonstrationSubmitted.class,
                d -> d.projectId().toString().equals(trained),
                1)
            .get(0)
            .eventId();
    String sft = "sft-scoped-" + suffix;
    String ppo = "ppo-scoped-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          sft, Kind.POLICY, "base", null, null, TrainingStage.SFT, List.of(demonstration));
      // Its child has no labels of its own: the project comes through the parent.
      trainer.publish(ppo, Kind.POLICY, sft, null, null, TrainingStage.PPO, List.of());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + ppo).statusCode() == 200);

    JsonPath promotion =
        as(researcher)
            .post("/api/models/" + ppo + "/promote")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(promotion.getString("projectsFrom")).isEqualTo("LINEAGE");
    assertThat(promotion.getList("projects.id")).containsExactly(trained);
    assertThat(promotion.getInt("completionRequests"))
        .isEqualTo(promotion.getInt("projects[0].completionRequests"))
        .isPositive();
    as(researcher)
        .contentType("application/json")
        .body(Map.of("projects", List.of(UUID.randomUUID().toString())))
        .post("/api/models/" + ppo + "/promote")
        .then()
        .statusCode(422)
        .body("field", equalTo("projects"));
  }

  @Test
  void shouldRefuseToPromoteARewardModelOrAnUnknownVersion() {
    String version = "rm-only-" + suffix;
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(version, Kind.REWARD, "base", null, null, TrainingStage.REWARD, List.of());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);
    as(researcher)
        .post("/api/models/" + version + "/promote")
        .then()
        .statusCode(422)
        .body("field", equalTo("version"));
    as(researcher).post("/api/models/nope-" + suffix + "/promote").then().statusCode(404);
    as(Researcher.account("reviewer"))
        .post("/api/models/" + version + "/promote")
        .then()
        .statusCode(403);
  }
}
