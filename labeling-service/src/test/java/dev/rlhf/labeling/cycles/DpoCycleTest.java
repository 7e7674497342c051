package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.ModelVersionPublished.Kind;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A DPO cycle through the API as a researcher drives it: started after SFT on the same frozen
 * labels, given the rankings alone and the SFT version as policy start and reference, watched to
 * its end, and its version promoted under the same evaluation rule as any policy's; through the
 * HTTP API and through bin/rlhf-cycle.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DpoCycleTest {

  @TestHTTPResource("/")
  URL url;

  private String researcher;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void signUpAResearcher() {
    researcher = Researcher.account("researcher");
  }

  @Test
  void shouldRunDpoFromTheSftVersionOnTheRankingsAloneAndPromoteItOnlyWithAPassingEvaluation() {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    List<String> prompts = Researcher.prompts(researcher, project, true, "Say hello");
    Labels.demonstrate(contractor, project);
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, contractor, project, prompts.get(0));
      String cycle =
          start(
              Map.of(
                  "projectId",
                  project,
                  "stages",
                  List.of("SFT", "DPO"),
                  "baseVersion",
                  "base-1",
                  "hyperParameters",
                  Map.of("DPO", Map.of("beta", "0.2", "lossType", "ipo"))));

      TrainingRunRequested sft = TrainerDouble.command(cycle, TrainingStage.SFT);
      trainer.publish(sft, "sft-" + suffix);
      TrainingRunRequested dpo = TrainerDouble.command(cycle, TrainingStage.DPO);
      assertThat(dpo.baseVersion()).isEqualTo("sft-" + suffix);
      assertThat(dpo.rewardVersion()).isNull();
      // Its pairs come from the one ranking; its ptx term trains on SFT's demonstrations.
      assertThat(dpo.labelEventIds())
          .hasSize(sft.labelEventIds().size() + 1)
          .containsAll(sft.labelEventIds());
      assertThat(dpo.hyperParameters())
          .containsEntry("beta", "0.2")
          .containsEntry("lossType", "ipo")
          .containsEntry("epochs", HyperParameterDefaults.of(TrainingStage.DPO).get("epochs"));

      // Its progress is charted under the names the trainer reports.
      trainer.progress(
          dpo, 1, 4, Map.of("loss", 0.69, "reward_margin", 0.01, "kl", 0.0), "Hello there");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !as(researcher)
                      .get("/api/cycles/" + cycle + "/progress")
                      .jsonPath()
                      .getList("findAll { it.stage == 'DPO' }")
                      .isEmpty());
      Map<String, Object> metrics =
          as(researcher)
              .get("/api/cycles/" + cycle + "/progress")
              .jsonPath()
              .getMap("find { it.stage == 'DPO' }.metrics");
      assertThat(metrics).containsOnlyKeys("loss", "reward_margin", "kl");

      String version = "dpo-" + suffix;
      trainer.publish(
          version,
          Kind.POLICY,
          "sft-" + suffix,
          dpo.cycleId(),
          dpo.runId(),
          TrainingStage.DPO,
          dpo.labelEventIds(),
          Map.of("heldout_accuracy", 0.85, "chosen_logp_falling", 1.0),
          List.of("the held-out chosen responses became less likely than under the reference"),
          TrainerDouble.evaluation("sft-" + suffix, false));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "SUCCEEDED"
                      .equals(
                          as(researcher)
                              .get("/api/cycles/" + cycle)
                              .jsonPath()
                              .getString("state")));
      as(researcher)
          .get("/api/cycles/" + cycle)
          .then()
          .body("runs.stage", equalTo(List.of("SFT", "DPO")))
          .body("runs.producedVersion", equalTo(List.of("sft-" + suffix, version)))
          .body("runs[1].baseVersion", equalTo("sft-" + suffix))
          .body("runs[1].evaluation.passed", equalTo(false))
          .body("runs[1].warnings[0]", containsString("chosen responses became less likely"));

      as(researcher)
          .body(Map.of())
          .post("/api/models/" + version + "/promote")
          .then()
          .statusCode(409)
          .body("field", equalTo("override"))
          .body("detail", containsString("did not pass its evaluation"));
      as(researcher)
          .body(Map.of("override", "the arena preferred it"))
          .post("/api/models/" + version + "/promote")
          .then()
          .statusCode(200);
      as(researcher)
          .get("/api/models/" + version)
          .then()
          .body("served", equalTo(true))
          .body("promotionOverride", equalTo("the arena preferred it"));
    }
  }

  @Test
  void shouldRefuseDpoWithoutRankingsOrWithAnUnknownLossTypeAndStoreNothing() {
    int before = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    String project = Researcher.project(researcher, 1);
    as(researcher)
        .body(Map.of("projectId", project, "stages", List.of("DPO"), "baseVersion", "sft-1"))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("stages"))
        .body("detail", containsString("DPO needs rankings"));
    as(researcher)
        .body(
            Map.of(
                "stages",
                List.of("DPO"),
                "baseVersion",
                "sft-1",
                "hyperParameters",
                Map.of("DPO", Map.of("lossType", "hinge"))))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("hyperParameters.DPO.lossType"))
        .body("detail", containsString("sigmoid, robust, ipo"));
    as(researcher)
        .body(Map.of("stages", List.of("DPO", "SFT"), "baseVersion", "base-1"))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("stages"));
    int after = as(researcher).get("/api/cycles?limit=500").then().extract().path("size()");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void shouldStartADpoCycleAndPromoteItsVersionWithAReasonFromTheCommandLineClient()
      throws Exception {
    String project = Researcher.project(researcher, 1);
    ScriptedContractor contractor = Researcher.contractor();
    List<String> prompts = Researcher.prompts(researcher, project, false, "Say thanks");
    try (TrainerDouble trainer = new TrainerDouble()) {
      Labels.rank(trainer, researcher, contractor, project, prompts.get(0));
      String sft = "sft-cli-" + suffix;
      Cli started =
          cli(
              "start",
              "--stages",
              "DPO",
              "--base",
              sft,
              "--project",
              project,
              "--set",
              "DPO.labelSmoothing=0.1");
      assertThat(started.status()).as(started.output()).isZero();
      String cycle = JsonPath.from(started.output()).getString("id");
      TrainingRunRequested dpo = TrainerDouble.command(cycle, TrainingStage.DPO);
      assertThat(dpo.baseVersion()).isEqualTo(sft);
      assertThat(dpo.hyperParameters()).containsEntry("labelSmoothing", "0.1");

      String version = "dpo-cli-" + suffix;
      trainer.publish(
          version,
          Kind.POLICY,
          sft,
          dpo.cycleId(),
          dpo.runId(),
          TrainingStage.DPO,
          dpo.labelEventIds(),
          Map.of("heldout_accuracy", 0.6),
          List.of(),
          TrainerDouble.evaluation(sft, false));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> cli("status", cycle).output().contains("\"SUCCEEDED\""));
      Cli refused = cli("promote", version);
      assertThat(refused.status()).isNotZero();
      assertThat(refused.output()).contains("did not pass its evaluation");
      Cli promoted = cli("promote", version, "judged better by the team's reviewers");
      assertThat(promoted.status()).as(promoted.output()).isZero();
      as(researcher)
          .get("/api/models/" + version)
          .then()
          .body("served", equalTo(true))
          .body("promotionOverride", equalTo("judged better by the team's reviewers"));
    }
  }

  private record Cli(int status, String output) {}

  /** Runs bin/rlhf-cycle as the researcher against this test's labeling-service. */
  private Cli cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "../bin/rlhf-cycle"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RLHF_URL", url.toString().replaceAll("/$", ""));
    builder.environment().put("RLHF_USER", researcher);
    builder.environment().put("RLHF_PASSWORD", Researcher.PASSWORD);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), output);
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
}
