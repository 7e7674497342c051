package dev.rlhf.labeling.cycles;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Blind arena votes are rankings too, but they rank versions for the leaderboard: a training
 * snapshot (and the preference export) takes them only when the researcher asks, and the cycle
 * records what it was asked.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SnapshotFilterTest {

  @Test
  void shouldLeaveArenaVotesOutOfSnapshotsAndExportsUnlessTheResearcherAsks() {
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, 1, 1);
    List<String> prompts =
        Researcher.prompts(researcher, project, false, "Rank these", "Which version?");
    ScriptedContractor contractor = Researcher.contractor();

    // An ordinary ranking.
    LabelingApi.rankingTask(researcher, project, prompts.get(0), "short", "a longer one");
    contractor.workThrough(
        project,
        "RANKING",
        task -> {
          contractor.rank(task, Comparator.comparingInt(String::length));
          return true;
        });
    // A blind arena vote between two versions.
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String a = "arena-a-" + suffix;
    String b = "arena-b-" + suffix;
    as(researcher)
        .body(
            Map.of(
                "projectId", project,
                "versionA", a,
                "versionB", b,
                "promptIds", List.of(prompts.get(1))))
        .post("/api/arena/matches")
        .then()
        .statusCode(202);
    try (TrainerDouble runtime = new TrainerDouble()) {
      for (CompletionsRequested r :
          TrainerDouble.await(
              Topic.COMPLETION_REQUESTS,
              CompletionsRequested.class,
              r -> a.equals(r.policyVersion()) || b.equals(r.policyVersion()),
              2)) {
        runtime.answer(r, "vote for " + r.policyVersion());
      }
    }
    int[] votes = {0};
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              votes[0] +=
                  contractor.workThrough(
                      project,
                      "COMPARISON",
                      task -> {
                        contractor.rank(task, Comparator.naturalOrder());
                        return true;
                      });
              return votes[0] == 1;
            });

    Map<String, Object> cycle = new HashMap<>();
    cycle.put("projectId", project);
    cycle.put("stages", List.of("REWARD"));
    cycle.put("baseVersion", "base-" + suffix);
    String withoutVotes = start(researcher, cycle);
    as(researcher)
        .get("/api/cycles/" + withoutVotes)
        .then()
        .body("snapshot.rankings", equalTo(1))
        .body("snapshotFilter.includeArenaVotes", equalTo(false));
    assertThat(responses(researcher, withoutVotes)).containsExactly("short");

    cycle.put("snapshot", Map.of("includeArenaVotes", true));
    String withVotes = start(researcher, cycle);
    as(researcher)
        .get("/api/cycles/" + withVotes)
        .then()
        .body("snapshot.rankings", equalTo(2))
        .body("snapshotFilter.includeArenaVotes", equalTo(true));
    assertThat(responses(researcher, withVotes))
        .containsExactlyInAnyOrder("short", "vote for " + a);

    String export =
        as(researcher).queryParam("project", project).get("/api/exports/preferences").asString();
    assertThat(export).contains("a longer one").doesNotContain("vote for");
    assertThat(
            as(researcher)
                .queryParam("project", project)
                .queryParam("includeArenaVotes", true)
                .get("/api/exports/preferences")
                .asString())
        .contains("vote for");
  }

  @Test
  void shouldNarrowASnapshotByContractorAndGuidelineVersionAndNameABadFilter() {
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, 2, 1);
    Researcher.prompts(researcher, project, true, "One", "Two");
    ScriptedContractor first = Researcher.contractor();
    ScriptedContractor second = Researcher.contractor();
    Labels.demonstrate(first, project);
    Labels.demonstrate(second, project);

    Map<String, Object> cycle = new HashMap<>();
    cycle.put("projectId", project);
    cycle.put("stages", List.of("SFT"));
    cycle.put("baseVersion", "base-1");
    cycle.put("snapshot", Map.of("contractors", List.of(first.username())));
    String one = start(researcher, cycle);
    as(researcher).get("/api/cycles/" + one).then().body("snapshot.demonstrations", equalTo(2));

    cycle.put("snapshot", Map.of("guidelineVersion", 2));
    as(researcher)
        .body(cycle)
        .post("/api/cycles")
        .then()
        .statusCode(422)
        .body("detail", org.hamcrest.Matchers.containsString("SFT needs demonstrations"));
    cycle.put("snapshot", Map.of("from", "yesterday"));
    as(researcher)
        .body(cycle)
        .post("/api/cycles")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("snapshot.from"));
  }

  private static String start(String researcher, Map<String, Object> body) {
    return as(researcher)
        .body(body)
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static List<String> responses(String researcher, String cycle) {
    return as(researcher).get("/api/cycles/" + cycle + "/labels").then().extract().path("response");
  }
}
