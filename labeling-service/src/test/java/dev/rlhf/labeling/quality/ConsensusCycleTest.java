package dev.rlhf.labeling.quality;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.quality.QualityApi.rank;
import static dev.rlhf.labeling.quality.QualityApi.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.contract.WeightedPair;
import dev.rlhf.labeling.cycles.StaleRunWatchdog;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cycle that asks for consensus trains REWARD and DPO on the consensus pairs of its rankings,
 * weighted by the trust in their contractors, carried in the training command.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ConsensusCycleTest {

  @Inject StaleRunWatchdog watchdog;

  private String researcher;
  private String project;
  private String prompt;
  private List<String> bestFirst;

  /** Two contractors rank a > b > c, a third the reverse. */
  @BeforeEach
  void twoAgreeOneReverses() {
    researcher = user("researcher");
    project = project(researcher, 1, 3);
    prompt = prompts(researcher, project, "NONE", "What is 3 + 3?").get(0);
    rankingTask(researcher, project, prompt, "6.", "Six, probably.", "7.");
    bestFirst = taskOf(prompt).completions();
    for (int i = 0; i < 2; i++) {
      String c = user("contractor");
      rank(c, next(c, project), bestFirst, 1_000);
    }
    String contrarian = user("contractor");
    rank(
        contrarian,
        next(contrarian, project),
        List.of(bestFirst.get(2), bestFirst.get(1), bestFirst.get(0)),
        1_000);
  }

  private String start(List<String> stages, Map<String, Object> consensus) {
    Map<String, Object> body = new HashMap<>();
    body.put("projectId", project);
    body.put("stages", stages);
    body.put("baseVersion", "base-1");
    if (consensus != null) body.put("consensus", consensus);
    return as(researcher)
        .body(body)
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private WeightedPair pair(List<WeightedPair> pairs, int chosen, int rejected) {
    return pairs.stream()
        .filter(p -> p.chosen().toString().equals(bestFirst.get(chosen)))
        .filter(p -> p.rejected().toString().equals(bestFirst.get(rejected)))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no pair " + chosen + " > " + rejected + " in " + pairs));
  }

  /** At confidence 0.5 the rule flags on the figure alone: the contrarian's agreement is 0. */
  @Test
  void shouldExcludeTheContractorBelowTheAgreementThreshold() {
    String cycle =
        start(
            List.of("REWARD"),
            Map.of(
                "method",
                "MAJORITY",
                "minAgreement",
                0.4,
                "belowThreshold",
                "EXCLUDE",
                "confidence",
                0.5));

    TrainingRunRequested reward = TrainerDouble.command(cycle, TrainingStage.REWARD);

    assertThat(reward.labelEventIds()).as("lineage keeps all three rankings").hasSize(3);
    List<WeightedPair> pairs = reward.weightedPairs();
    assertThat(pairs).hasSize(3).allSatisfy(p -> assertThat(p.weight()).isEqualTo(1.0));
    assertThat(pairs).allSatisfy(p -> assertThat(p.promptId()).isEqualTo(UUID.fromString(prompt)));
    pair(pairs, 0, 1);
    pair(pairs, 0, 2);
    pair(pairs, 1, 2);
  }

  /**
   * Two comparisons at 0 are too few to say the contrarian agrees with peers on less than 0.4 of
   * the pairs (at 95% their agreement may be up to 0.575): nobody is excluded, and a > b, voted 2
   * to 1 at full trust, weighs 2/3 (1 if the contrarian were left out).
   */
  @Test
  void shouldNotExcludeAContractorOnTooFewComparisons() {
    String cycle =
        start(
            List.of("REWARD"),
            Map.of("method", "MAJORITY", "minAgreement", 0.4, "belowThreshold", "EXCLUDE"));

    List<WeightedPair> pairs = TrainerDouble.command(cycle, TrainingStage.REWARD).weightedPairs();

    assertThat(pair(pairs, 0, 1).weight()).isCloseTo(2.0 / 3, within(1e-9));
  }

  /**
   * Under 0.6, the contrarian's 0.575 at most is confidently under, and 0.075 / 0.1 of the skill
   * above chance that 0.6 asks: down-weighted to 0.25 * 0.75 = 0.19, they still vote. a > b has
   * support 2 of 2.19, and the voters' mean trust is 2.19 / 3, so its weight is 2/3 (1 if the
   * contrarian's weight were 0).
   */
  @Test
  void shouldDownWeightTheContractorBelowTheThreshold() {
    String cycle =
        start(
            List.of("REWARD"),
            Map.of("method", "MAJORITY", "minAgreement", 0.6, "downWeight", 0.25));

    List<WeightedPair> pairs = TrainerDouble.command(cycle, TrainingStage.REWARD).weightedPairs();

    assertThat(pairs).hasSize(3);
    assertThat(pair(pairs, 0, 1).weight()).isCloseTo(2.0 / 3, within(1e-9));
    as(researcher)
        .get("/api/cycles/" + cycle)
        .then()
        .statusCode(200)
        .body("snapshot.informativePairs", equalTo(3));
  }

  @Test
  void shouldRetryACycleOnTheSameConsensusPairs() {
    String cycle =
        start(List.of("REWARD"), Map.of("method", "BORDA", "minAgreement", 0.4, "downWeight", 0.5));
    TrainingRunRequested first = TrainerDouble.command(cycle, TrainingStage.REWARD);
    watchdog.failStale(Instant.now().plus(Duration.ofHours(1)));

    String retry =
        as(researcher)
            .post("/api/cycles/" + cycle + "/retry")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    TrainingRunRequested again = TrainerDouble.command(retry, TrainingStage.REWARD);
    assertThat(again.weightedPairs()).isNotEmpty().isEqualTo(first.weightedPairs());
  }

  @Test
  void shouldTrainOnEveryPairAtWeightOneWithoutConsensus() {
    String cycle = start(List.of("REWARD"), null);

    assertThat(TrainerDouble.command(cycle, TrainingStage.REWARD).weightedPairs()).isEmpty();
  }

  @Test
  void shouldRefuseAnUnknownMethodNamingTheFieldAndStoreNoCycle() {
    as(researcher)
        .body(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("REWARD"),
                "baseVersion",
                "base-1",
                "consensus",
                Map.of("method", "PLURALITY")))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("consensus.method"));
    as(researcher)
        .body(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("REWARD"),
                "baseVersion",
                "base-1",
                "consensus",
                Map.of("minAgreement", 2)))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("field", equalTo("consensus.minAgreement"));
    as(researcher)
        .body(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("REWARD"),
                "baseVersion",
                "base-1",
                "consensus",
                Map.of("confidence", 1)))
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("consensus.confidence"));

    assertThat(
            as(researcher)
                .queryParam("limit", 500)
                .get("/api/cycles")
                .then()
                .extract()
                .jsonPath()
                .getList("findAll { it.projectId == '" + project + "' }"))
        .as("no cycle of this project was stored")
        .isEmpty();
  }
}
