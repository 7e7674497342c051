package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class CycleTest {

  private String researcher;

  @BeforeEach
  void signUpAResearcher() {
    researcher = Researcher.account("researcher");
  }

  @Test
  void shouldFreezeExactlyTheDemonstrationsPresentWhenTheCycleStartsAndPublishItsFirstCommand() {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    Researcher.prompts(researcher, project, true, "What is 2+2?", "Name a colour");
    assertThat(Labels.demonstrate(contractor, project)).isEqualTo(2);

    String cycle =
        start(Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "base-1"));
    Researcher.prompts(researcher, project, true, "Written after the start");
    assertThat(Labels.demonstrate(contractor, project)).isEqualTo(1);

    List<String> responses =
        as(researcher)
            .get("/api/cycles/" + cycle + "/labels")
            .then()
            .statusCode(200)
            .extract()
            .path("response");
    assertThat(responses)
        .containsExactlyInAnyOrder("answer: What is 2+2?", "answer: Name a colour");
    List<String> frozenIds =
        as(researcher).get("/api/cycles/" + cycle + "/labels").then().extract().path("eventId");
    // Oldest first, a page at a time.
    List<String> times =
        as(researcher).get("/api/cycles/" + cycle + "/labels").then().extract().path("occurredAt");
    assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(java.time.Instant::parse));
    for (int offset = 0; offset < 2; offset++) {
      assertThat(
              as(researcher)
                  .get("/api/cycles/" + cycle + "/labels?limit=1&offset=" + offset)
                  .then()
                  .statusCode(200)
                  .extract()
                  .<List<String>>path("eventId"))
          .containsExactly(frozenIds.get(offset));
    }
    TrainingRunRequested command = TrainerDouble.command(cycle, TrainingStage.SFT);
    assertThat(command.baseVersion()).isEqualTo("base-1");
    assertThat(command.hyperParameters()).containsEntry("steps", "300");
    assertThat(command.labelEventIds().stream().map(UUID::toString))
        .containsExactlyInAnyOrderElementsOf(frozenIds);
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("state", equalTo("RUNNING"))
        .body("snapshot.demonstrations", equalTo(2))
        .body("runs[0].state", equalTo("REQUESTED"));
  }

  @Test
  void shouldChainSftIntoRewardIntoPpoWithEachStagesNewVersion() {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    List<String> prompts = Researcher.prompts(researcher, project, true, "Say hi");
    Labels.demonstrate(contractor, project);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, contractor, project, prompts.get(0));
      String cycle =
          start(
              Map.of(
                  "projectId",
                  project,
                  "stages",
                  List.of("SFT", "REWARD", "PPO"),
                  "baseVersion",
                  "base-1",
                  "hyperParameters",
                  Map.of("PPO", Map.of("initKlCoef", "0.2"))));

      TrainingRunRequested sft = TrainerDouble.command(cycle, TrainingStage.SFT);
      trainer.publish(sft, "sft-" + suffix);
      TrainingRunRequested reward = TrainerDouble.command(cycle, TrainingStage.REWARD);
      assertThat(reward.baseVersion()).isEqualTo("sft-" + suffix);
      // The cycle's labels list each one's response: a ranking's is the completion it put first.
      assertThat(
              as(researcher)
                  .get("/api/cycles/" + cycle + "/labels")
                  .then()
                  .statusCode(200)
                  .extract()
                  .<List<String>>path("findAll { it.type == 'RANKING' }.response"))
          .containsExactly("short");
      assertThat(reward.labelEventIds())
          .hasSize(1)
          .doesNotContainAnyElementsOf(sft.labelEventIds());
      trainer.publish(reward, "rm-" + suffix);
      TrainingRunRequested ppo = TrainerDouble.command(cycle, TrainingStage.PPO);
      assertThat(ppo.baseVersion()).isEqualTo("sft-" + suffix);
      assertThat(ppo.rewardVersion()).isEqualTo("rm-" + suffix);
      assertThat(ppo.hyperParameters()).containsEntry("initKlCoef", "0.2");
      trainer.publish(ppo, "ppo-" + suffix);

      awaitState(cycle, "SUCCEEDED");
      as(researcher)
          .get("/api/cycles/" + cycle)
          .then()
          .body(
              "runs.producedVersion",
              equalTo(List.of("sft-" + suffix, "rm-" + suffix, "ppo-" + suffix)))
          .body("runs.state", equalTo(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")));
    }
  }

  @Test
  void shouldRefusePpoWithoutDemonstrationsToSamplePromptsFromUnlessToldToUseTheDemoPrompts() {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    List<String> prompts = Researcher.prompts(researcher, project, true, "Say hi");
    Map<String, Object> body =
        Map.of("projectId", project, "stages", List.of("REWARD", "PPO"), "baseVersion", "base-1");
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, contractor, project, prompts.get(0));
    }
    int before = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");

    as(researcher)
        .body(body)
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("stages"))
        .body("detail", containsString("PPO samples its prompts from demonstrations"));
    assertThat(as(researcher).get("/api/cycles?limit=500").then().extract().<Integer>path("size()"))
        .isEqualTo(before);

    Map<String, Object> demoPrompts = new LinkedHashMap<>(body);
    demoPrompts.put("hyperParameters", Map.of("PPO", Map.of("demoWorldPrompts", "true")));
    String cycle = start(demoPrompts);
    assertThat(TrainerDouble.command(cycle, TrainingStage.REWARD).labelEventIds()).hasSize(1);
  }

  @Test
  void shouldShowTheTrainersFailureReasonAndNeverStartTheLaterStages() {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Explain rain");
    Labels.demonstrate(Researcher.contractor(), project);
    String cycle =
        start(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("SFT", "PPO"),
                "baseVersion",
                "base-1",
                "rewardVersion",
                registeredRewardVersion()));
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.fail(TrainerDouble.command(cycle, TrainingStage.SFT), "loss became NaN at step 12");
    }
    awaitState(cycle, "FAILED");
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("failureReason", equalTo("SFT failed: loss became NaN at step 12"))
        .body("runs.state", equalTo(List.of("FAILED", "CANCELLED")));
  }

  @Test
  void shouldCancelARunningCycleTellItsTrainerToStopAndIgnoreALateVersion() {
    String project = Researcher.project(researcher, 1);
    Researcher.prompts(researcher, project, true, "Count to three");
    Labels.demonstrate(Researcher.contractor(), project);
    String cycle =
        start(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("SFT", "PPO"),
                "baseVersion",
                "base-1",
                "rewardVersion",
                registeredRewardVersion()));
    TrainingRunRequested sft = TrainerDouble.command(cycle, TrainingStage.SFT);

    as(researcher)
        .post("/api/cycles/" + cycle + "/cancel")
        .then()
        .statusCode(200)
        .body("state", equalTo("CANCELLED"));

    TrainerDouble.await(
        Topic.TRAINING_COMMANDS, TrainingRunCancelled.class, c -> c.runId().equals(sft.runId()), 1);
    String late = "late-" + UUID.randomUUID();
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(sft, late);
    }
    // The registry records the version in the same transaction that would chain the next stage.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + late).statusCode() == 200);
    as(researcher).post("/api/cycles/" + cycle + "/cancel").then().statusCode(409);
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .body("state", equalTo("CANCELLED"))
        .body("runs.state", equalTo(List.of("CANCELLED", "CANCELLED")));
  }

  @Test
  void shouldRefuseAnInvalidCycleSayingWhatIsWrongAndStoreNothing() {
    int before = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    as(researcher)
        .body(Map.of("stages", List.of("PPO"), "baseVersion", "base-1"))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("rewardVersion"));
    as(researcher)
        .body(Map.of("stages", List.of("PPO", "SFT"), "baseVersion", "base-1"))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("stages"));
    as(researcher)
        .body(
            Map.of(
                "stages",
                List.of("SFT"),
                "baseVersion",
                "base-1",
                "hyperParameters",
                Map.of("SFT", Map.of("learningRate", "1"))))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("hyperParameters.SFT.learningRate"));
    as(researcher)
        .body(
            Map.of(
                "stages",
                List.of("REWARD"),
                "baseVersion",
                "base-1",
                "hyperParameters",
                Map.of("REWARD", Map.of("epochs", "2"), "RM", Map.of("epochs", "3"))))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("detail", containsString("given twice"));
    // A fraction where the trainer reads a number, and an exponent, pass this check: the request
    // then fails only for wanting rankings, which a new project does not have.
    as(researcher)
        .body(
            Map.of(
                "projectId",
                Researcher.project(researcher, 1),
                "stages",
                List.of("REWARD", "PPO"),
                "baseVersion",
                "base-1",
                "hyperParameters",
                Map.of(
                    "REWARD", Map.of("heldOutPercent", "12.5"), "PPO", Map.of("klHorizon", "1e4"))))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("stages"));
    // Values the trainer could not read: refused at start, not after the stages before PPO ran.
    Map<String, String> unreadable =
        Map.of("steps", "300.0", "whitenRewards", "True", "lr", "NaN", "targetKl", "6%");
    for (Map.Entry<String, String> bad : unreadable.entrySet()) {
      as(researcher)
          .body(
              Map.of(
                  "stages",
                  List.of("REWARD", "PPO"),
                  "baseVersion",
                  "base-1",
                  "hyperParameters",
                  Map.of("PPO", Map.of(bad.getKey(), bad.getValue()))))
          .post("/api/cycles")
          .then()
          .statusCode(422)
          .body("field", equalTo("hyperParameters.PPO." + bad.getKey()))
          .body("detail", containsString("not '" + bad.getValue() + "'"));
    }
    as(Researcher.account("contractor"))
        .body(Map.of("stages", List.of("SFT"), "baseVersion", "b"))
        .post("/api/cycles")
        .then()
        .statusCode(403);
    int after = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void shouldRefuseAVersionGivenAsAPathAndSendNoCommand() {
    int before = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    for (String path :
        List.of("/etc", "../../outside", "base/../../x", "..", "sub\\dir", ".hidden", "a b")) {
      as(researcher)
          .body(Map.of("stages", List.of("SFT"), "baseVersion", path))
          .post("/api/cycles")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("field", equalTo("baseVersion"));
      as(researcher)
          .body(Map.of("stages", List.of("PPO"), "baseVersion", "base-1", "rewardVersion", path))
          .post("/api/cycles")
          .then()
          .statusCode(422)
          .body("field", equalTo("rewardVersion"));
    }
    int after = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void shouldShowEveryStagesHyperParametersWithTheTrainersDefaults() throws Exception {
    String json =
        as(researcher)
            .get("/api/cycles/defaults")
            .then()
            .statusCode(200)
            .body("SFT.steps", equalTo(HyperParameterDefaults.of(TrainingStage.SFT).get("steps")))
            .body(
                "PPO.initKlCoef",
                equalTo(HyperParameterDefaults.of(TrainingStage.PPO).get("initKlCoef")))
            .extract()
            .asString();
    Map<String, LinkedHashMap<String, String>> shown =
        new ObjectMapper()
            .readValue(
                json, new TypeReference<LinkedHashMap<String, LinkedHashMap<String, String>>>() {});

    // The very values the trainers build their configurations from, in their order.
    assertThat(shown.keySet()).containsExactly("SFT", "REWARD", "PPO", "DPO");
    HyperParameterDefaults.all()
        .forEach(
            (stage, defaults) ->
                assertThat(shown.get(stage.name())).containsExactlyEntriesOf(defaults));
  }

  private String start(Map<String, Object> body) {
    return as(researcher)
        .body(body)
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private void awaitState(String cycle, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                state.equals(
                    as(researcher).get("/api/cycles/" + cycle).then().extract().path("state")));
  }

  /** A reward version the registry knows, published as reward-trainer would. */
  private String registeredRewardVersion() {
    String version = "rm-given-" + UUID.randomUUID().toString().substring(0, 8);
    try (TrainerDouble trainer = new TrainerDouble()) {
      trainer.publish(
          version,
          dev.rlhf.events.contract.ModelVersionPublished.Kind.REWARD,
          "base-1",
          null,
          null,
          TrainingStage.REWARD,
          List.of());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(researcher).get("/api/models/" + version).statusCode() == 200);
    return version;
  }
}
