package dev.rlhf.launcher;

import static dev.rlhf.labeling.actors.Researcher.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.lm.demo.DemoPrompt;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The closed loop on the packaged platform, started as {@code ./run.sh} starts it: embedded
 * PostgreSQL and Kafka, and labeling-service, model-runtime, reward-trainer and policy-trainer as
 * their own JVMs (the {@link SharedPlatform}, which the smoke test and the fault drills use too;
 * this test's project is its own), training for real from a tiny base that its first cycle names. A
 * researcher and scripted contractors use only the HTTP API, as the browser does, and every
 * assertion is on what an HTTP answer shows.
 */
@Order(2)
@ExtendWith(SharedStacks.class)
class ClosedLoopIT {

  /** How long one stage may take on a slow, shared CI machine; polled often, never slept. */
  private static final Duration STAGE = Duration.ofMinutes(5);

  private static final int PROMPTS = 24;
  private static final int RANKING_OVERLAP = 3;
  private static final Map<String, String> SFT =
      Map.of("steps", "30", "batch", "8", "warmupSteps", "3", "evalEvery", "10");
  private static final Map<String, String> REWARD =
      Map.of("epochs", "2", "promptsPerBatch", "2", "warmupSteps", "1", "progressEvery", "1");
  private static final Map<String, String> PPO =
      Map.of(
          "steps", "2",
          "rolloutBatch", "4",
          "miniBatch", "4",
          "ppoEpochs", "1",
          "maxNewTokens", "12",
          "checkpointEvery", "1",
          "samplesPerStep", "1");

  private static LaunchOptions options;
  private static Platform platform;

  @BeforeAll
  static void useTheSharedPlatform() {
    SharedPlatform.Running shared = SharedPlatform.get();
    options = shared.options();
    platform = shared.platform();
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = options.labelingPort();
  }

  @AfterAll
  static void resetRestAssured() {
    RestAssured.reset();
  }

  @Test
  void shouldTrainServeAndRetrainFromContractorsLabelsWithLineageBothWays() {
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, RANKING_OVERLAP);
    Map<String, DemoPrompt> questions = DemoCrew.arithmeticQuestions(PROMPTS, 7);
    Researcher.prompts(researcher, project, true, questions.keySet().toArray(String[]::new));
    DemoCrew crew = new DemoCrew(RANKING_OVERLAP, questions, STAGE);
    assertThat(crew.demonstrate(project)).isEqualTo(PROMPTS);

    Trained sft = fineTune(researcher, project, questions);
    int requests = promote(researcher, sft.version());
    assertThat(requests).as("completion requests of the closed loop").isPositive();
    awaitServed(sft.version());
    assertThat(crew.rank(project, requests * RANKING_OVERLAP))
        .as("versions that wrote the completions ranked")
        .containsExactly(sft.version());

    Trained rm = trainRewardModel(researcher, project, sft.version());
    assertThat(rm.labels()).hasSize(requests * RANKING_OVERLAP);
    String ppo = reinforce(researcher, project, sft.version(), rm.version());
    promote(researcher, ppo);
    awaitServed(ppo);
    assertThat(crew.awaitRankingTask(project).getList("completions.policyVersion"))
        .containsOnly(ppo);

    List<String> everyLabel = new ArrayList<>(sft.labels());
    everyLabel.addAll(rm.labels());
    assertThat(labelsOf(researcher, ppo)).containsExactlyInAnyOrderElementsOf(everyLabel);
    assertThat(influenced(researcher, sft.labels().get(0)))
        .isEqualTo(Map.of(sft.version(), true, rm.version(), false, ppo, true));
    assertThat(influenced(researcher, rm.labels().get(0)))
        .isEqualTo(Map.of(rm.version(), true, ppo, true));
  }

  /** A version, and the label event ids its cycle froze. */
  private record Trained(String version, List<String> labels) {}

  /** SFT on the tiny base: progress, a policy version, and exactly the demonstrations written. */
  private static Trained fineTune(
      String researcher, String project, Map<String, DemoPrompt> questions) {
    String cycle =
        startCycle(researcher, project, List.of("SFT"), TinyBase.NAME, null, Map.of("SFT", SFT));
    String sft = awaitProducedVersion(researcher, cycle);
    assertThat(lastProgress(researcher, cycle))
        .containsEntry("stage", "SFT")
        .containsEntry("step", Integer.parseInt(SFT.get("steps")))
        .extractingByKey("metrics", InstanceOfAssertFactories.MAP)
        .containsKey("val_loss");
    JsonPath frozen = as(researcher).get("/api/cycles/" + cycle + "/labels").jsonPath();
    assertThat(frozen.getList("response", String.class))
        .containsExactlyInAnyOrderElementsOf(
            questions.values().stream().map(DemoPrompt::reference).toList());
    List<String> demonstrations = frozen.getList("eventId");
    JsonPath version = version(researcher, sft);
    assertThat(version.getString("kind")).isEqualTo("POLICY");
    assertThat(version.getString("parentVersion")).isEqualTo(TinyBase.NAME);
    assertThat(version.getString("cycleId")).isEqualTo(cycle);
    assertThat(version.getInt("labels.demonstrations")).isEqualTo(PROMPTS);
    assertThat(labelsOf(researcher, sft)).containsExactlyInAnyOrderElementsOf(demonstrations);
    return new Trained(sft, demonstrations);
  }

  /** A reward model from the SFT policy on every ranking so far. */
  private static Trained trainRewardModel(String researcher, String project, String sft) {
    String cycle =
        startCycle(researcher, project, List.of("REWARD"), sft, null, Map.of("REWARD", REWARD));
    String rm = awaitProducedVersion(researcher, cycle);
    assertThat(lastProgress(researcher, cycle))
        .extractingByKey("metrics", InstanceOfAssertFactories.MAP)
        .containsKey("heldout_accuracy");
    List<String> rankings =
        as(researcher).get("/api/cycles/" + cycle + "/labels").jsonPath().getList("eventId");
    JsonPath version = version(researcher, rm);
    assertThat(version.getString("kind")).isEqualTo("REWARD");
    assertThat(version.getString("parentVersion")).isEqualTo(sft);
    assertThat(version.getInt("labels.rankings")).isEqualTo(rankings.size());
    assertThat(version.getMap("metrics")).containsKey("heldout_accuracy");
    return new Trained(rm, rankings);
  }

  /** PPO from the SFT policy against the reward model; answers the published version. */
  private static String reinforce(String researcher, String project, String sft, String rm) {
    String cycle = startCycle(researcher, project, List.of("PPO"), sft, rm, Map.of("PPO", PPO));
    // A reward model of a few rankings may miss the accuracy gate; this test is about the loop's
    // plumbing, so it says why PPO may use it anyway (what a researcher would do).
    String ppo = awaitProducedVersion(researcher, cycle);
    assertThat(lastProgress(researcher, cycle))
        .extractingByKey("metrics", InstanceOfAssertFactories.MAP)
        .containsKeys("reward_mean", "kl");
    JsonPath version = version(researcher, ppo);
    assertThat(version.getString("kind")).isEqualTo("POLICY");
    assertThat(version.getString("stage")).isEqualTo("PPO");
    assertThat(version.getString("parentVersion")).isEqualTo(sft);
    assertThat(version.getString("rewardVersion")).isEqualTo(rm);
    return ppo;
  }

  private static String startCycle(
      String researcher,
      String project,
      List<String> stages,
      String baseVersion,
      String rewardVersion,
      Map<String, Map<String, String>> hyperParameters) {
    Map<String, Object> body = new HashMap<>();
    body.put("projectId", project);
    body.put("stages", stages);
    body.put("baseVersion", baseVersion);
    if (rewardVersion != null) {
      body.put("rewardVersion", rewardVersion);
      body.put("rewardGateOverride", "closed-loop test: a reward model of a handful of rankings");
    }
    body.put("hyperParameters", hyperParameters);
    return as(researcher)
        .body(body)
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Waits until the cycle's one stage has ended; it must have succeeded. */
  private static String awaitProducedVersion(String researcher, String cycle) {
    await("cycle " + cycle + " to end")
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !"RUNNING".equals(as(researcher).get("/api/cycles/" + cycle).path("state")));
    JsonPath done = as(researcher).get("/api/cycles/" + cycle).jsonPath();
    assertThat(done.getString("state"))
        .as("cycle %s (%s)", cycle, done.getString("failureReason"))
        .isEqualTo("SUCCEEDED");
    return done.getString("runs[0].producedVersion");
  }

  /** The latest progress a cycle's trainer reported, as the cycle page charts it. */
  private static Map<String, Object> lastProgress(String researcher, String cycle) {
    List<Map<String, Object>> points =
        as(researcher).get("/api/cycles/" + cycle + "/progress").jsonPath().getList("$");
    assertThat(points).as("progress of cycle %s", cycle).isNotEmpty();
    return points.get(points.size() - 1);
  }

  private static JsonPath version(String researcher, String version) {
    return as(researcher).get("/api/models/" + version).then().statusCode(200).extract().jsonPath();
  }

  /** Which labels made a version (its own and its ancestors'), by label event id. */
  private static List<String> labelsOf(String researcher, String version) {
    return as(researcher).get("/api/models/" + version + "/labels").jsonPath().getList("eventId");
  }

  /** Which versions a label influenced, each with whether it trained on the label directly. */
  private static Map<String, Boolean> influenced(String researcher, String labelEventId) {
    Map<String, Boolean> versions = new HashMap<>();
    List<Map<String, Object>> rows =
        as(researcher).get("/api/labels/" + labelEventId + "/versions").jsonPath().getList("$");
    rows.forEach(r -> versions.put((String) r.get("version"), (Boolean) r.get("direct")));
    return versions;
  }

  /**
   * Promotes a version: one that passed its evaluation as it is, one that did not (the tiny models
   * here may not) only with a reason, which the registry keeps.
   */
  private static int promote(String researcher, String version) {
    JsonPath evaluated = version(researcher, version);
    assertThat(evaluated.getString("evaluation.parentVersion"))
        .as("%s is evaluated against its parent", version)
        .isEqualTo(evaluated.getString("parentVersion"));
    Map<String, Object> body = new HashMap<>();
    if (!evaluated.getBoolean("evaluation.passed")) {
      as(researcher)
          .body(Map.of())
          .post("/api/models/" + version + "/promote")
          .then()
          .statusCode(409)
          .body("field", org.hamcrest.Matchers.equalTo("override"));
      body.put("override", "closed-loop test: tiny models, promoted to check the loop");
    }
    return as(researcher)
        .body(body)
        .post("/api/models/" + version + "/promote")
        .then()
        .statusCode(200)
        .extract()
        .path("completionRequests");
  }

  /** The runtime lists the version as its default and answers a completion with it. */
  private static void awaitServed(String version) {
    await("model-runtime to serve " + version)
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> cards =
                  runtime().get("/v1/models").jsonPath().getList("data");
              assertThat(cards)
                  .filteredOn(card -> Boolean.TRUE.equals(card.get("default")))
                  .extracting(card -> card.get("id"))
                  .containsExactly(version);
            });
    String answeredBy =
        runtime()
            .body(Map.of("prompt", "What is 2 + 3?", "max_tokens", 8))
            .post("/v1/completions")
            .then()
            .statusCode(200)
            .extract()
            .path("model");
    assertThat(answeredBy).isEqualTo(version);
  }

  private static io.restassured.specification.RequestSpecification runtime() {
    return given()
        .port(options.runtimePort())
        .header("Authorization", "Bearer " + platform.runtimeServiceKey())
        .contentType(ContentType.JSON);
  }
}
