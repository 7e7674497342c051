package dev.rlhf.labeling.arena;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.labeling.cycles.TrainerDouble;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ArenaTest {

  @Test
  void shouldRankVersionsByBlindVotesWithAnIntervalAroundEachScore() {
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, 3);
    List<String> prompts =
        Researcher.prompts(researcher, project, false, "Add 1 and 1", "Add 2 and 2");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String best = "gold-" + suffix;
    String middle = "silver-" + suffix;
    String worst = "bronze-" + suffix;
    for (List<String> pair :
        List.of(List.of(best, middle), List.of(middle, worst), List.of(worst, best))) {
      as(researcher)
          .body(
              Map.of(
                  "projectId",
                  project,
                  "versionA",
                  pair.get(0),
                  "versionB",
                  pair.get(1),
                  "promptIds",
                  prompts))
          .post("/api/arena/matches")
          .then()
          .statusCode(202);
    }
    Set<String> versions = Set.of(best, middle, worst);
    try (TrainerDouble runtime = new TrainerDouble()) {
      List<CompletionsRequested> requests =
          TrainerDouble.await(
              Topic.COMPLETION_REQUESTS,
              CompletionsRequested.class,
              r -> r.policyVersion() != null && versions.contains(r.policyVersion()),
              12);
      assertThat(requests).hasSize(12).allSatisfy(r -> assertThat(r.n()).isEqualTo(1));
      for (CompletionsRequested r : requests) runtime.answer(r, "written by " + r.policyVersion());
    }
    Comparator<String> preference =
        Comparator.comparingInt(
            text -> text.contains("gold") ? 0 : text.contains("silver") ? 1 : 2);
    int votes = 0;
    for (int i = 0; i < 3; i++) {
      ScriptedContractor contractor = Researcher.contractor();
      int[] answered = {0};
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                answered[0] +=
                    contractor.workThrough(
                        project,
                        "COMPARISON",
                        task -> {
                          assertThat(task.getList("completions.policyVersion")).containsOnlyNulls();
                          contractor.rank(task, preference);
                          return true;
                        });
                return answered[0] == 6;
              });
      votes += answered[0];
    }
    assertThat(votes).isEqualTo(18);

    List<Map<String, Object>> board =
        as(researcher).get("/api/arena/leaderboard").then().statusCode(200).extract().path("");
    List<Map<String, Object>> ours =
        board.stream().filter(e -> versions.contains(e.get("version"))).toList();
    assertThat(ours).extracting(e -> e.get("version")).containsExactly(best, middle, worst);
    assertThat(ours)
        .allSatisfy(
            e -> {
              double score = ((Number) e.get("score")).doubleValue();
              assertThat(((Number) e.get("lower")).doubleValue()).isLessThanOrEqualTo(score);
              assertThat(((Number) e.get("upper")).doubleValue()).isGreaterThanOrEqualTo(score);
              assertThat(((Number) e.get("upper")).doubleValue())
                  .isGreaterThan(((Number) e.get("lower")).doubleValue());
              assertThat(e.get("games")).isEqualTo(12);
            });
    assertThat(ours.get(0).get("wins")).isEqualTo(12);
  }
}
