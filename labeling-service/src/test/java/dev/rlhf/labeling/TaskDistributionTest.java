package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.labeling.service.TaskDistributor;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class TaskDistributionTest {

  @Inject TaskDistributor distributor;
  @Inject EntityManager entityManager;

  @Test
  void shouldHandTheNextTaskWithConversationCompletionsAndGuidelines() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 2);
    String prompt = prompts(researcher, project, "NONE", "What is 2+2?").get(0);
    rankingTask(researcher, project, prompt, "4", "5", "22");

    var task = next(contractor, project);

    assertThat(task.getString("type")).isEqualTo("RANKING");
    assertThat(task.getString("conversation[0].text")).isEqualTo("What is 2+2?");
    assertThat(task.getList("completions.text")).containsExactly("4", "5", "22");
    assertThat(task.getInt("guidelines.version")).isEqualTo(1);
    assertThat(task.getString("guidelines.markdown")).contains("helpful");
  }

  @Test
  void shouldGiveATaskToAsManyDistinctContractorsAsItsOverlapAndNoMore() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    String prompt = prompts(researcher, project, "NONE", "Rank me").get(0);
    rankingTask(researcher, project, prompt, "a", "b");

    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) tasks.add(next(user("contractor"), project).getString("taskId"));

    assertThat(tasks).containsOnly(tasks.get(0));
    as(user("contractor"))
        .queryParam("project", project)
        .post("/api/tasks/next")
        .then()
        .statusCode(204);
  }

  @Test
  void shouldNeverOfferAContractorTheSameTaskTwiceNorTheirOwnPrompt() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 5, 3);
    String jsonl =
        "{\"prompt\":\"mine\",\"author\":\"" + contractor + "\"}\n{\"prompt\":\"theirs\"}";
    io.restassured.RestAssured.given()
        .auth()
        .preemptive()
        .basic(researcher, LabelingApi.PASSWORD)
        .contentType("application/x-ndjson")
        .body(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(2));

    var first = next(contractor, project);
    as(contractor)
        .body(Map.of("response", "An answer"))
        .post("/api/assignments/" + first.getString("assignmentId") + "/demonstration")
        .then()
        .statusCode(201);

    assertThat(first.getString("conversation[0].text")).isEqualTo("theirs");
    as(contractor).queryParam("project", project).post("/api/tasks/next").then().statusCode(204);
  }

  @Test
  void shouldRefuseMoreOpenAssignmentsThanTheCap() {
    String researcher = user("researcher");
    String contractor = user("contractor");
    String project = project(researcher, 1, 3);
    prompts(researcher, project, "DEMONSTRATION", "one", "two", "three", "four");

    for (int i = 0; i < 3; i++) next(contractor, project);

    as(contractor)
        .queryParam("project", project)
        .post("/api/tasks/next")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("field", equalTo("assignments"));
  }

  @Test
  void shouldReturnASkippedSlotToThePoolForOthersButNotForTheSkipper() {
    String researcher = user("researcher");
    String skipper = user("contractor");
    String project = project(researcher, 1, 3);
    prompts(researcher, project, "DEMONSTRATION", "Write a poem about rust");
    String assignment = next(skipper, project).getString("assignmentId");

    as(skipper)
        .body(Map.of("reason", "I do not write poems"))
        .post("/api/assignments/" + assignment + "/skip")
        .then()
        .statusCode(200)
        .body("state", equalTo("SKIPPED"));

    as(skipper).queryParam("project", project).post("/api/tasks/next").then().statusCode(204);
    assertThat(next(user("contractor"), project).getString("conversation[0].text"))
        .isEqualTo("Write a poem about rust");
  }

  @Test
  void shouldReturnAnExpiredLeaseToThePoolAndRefuseItsSubmission() {
    String researcher = user("researcher");
    String late = user("contractor");
    String project = project(researcher, 1, 3);
    prompts(researcher, project, "DEMONSTRATION", "Explain leases");
    String assignment = next(late, project).getString("assignmentId");
    String other = user("contractor");
    as(other).queryParam("project", project).post("/api/tasks/next").then().statusCode(204);

    backdateLease(UUID.fromString(assignment));
    distributor.expireLeases();

    assertThat(next(other, project).getString("conversation[0].text")).isEqualTo("Explain leases");
    as(late)
        .body(Map.of("response", "Too late"))
        .post("/api/assignments/" + assignment + "/demonstration")
        .then()
        .statusCode(409)
        .body("field", equalTo("assignmentId"));
  }

  @Test
  void shouldNeverGiveTheSameSlotToTwoContractorsAskingAtOnce() throws Exception {
    String researcher = user("researcher");
    String project = project(researcher, 2, 3);
    prompts(researcher, project, "DEMONSTRATION", "p1", "p2", "p3");
    List<String> contractors = new ArrayList<>();
    for (int i = 0; i < 16; i++) contractors.add(user("contractor"));

    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<String>> answers = new ArrayList<>();
    for (String contractor : contractors) {
      Callable<String> ask =
          () -> {
            var response = as(contractor).queryParam("project", project).post("/api/tasks/next");
            return response.statusCode() == 200 ? response.jsonPath().getString("taskId") : null;
          };
      answers.add(pool.submit(ask));
    }
    List<String> taken = new ArrayList<>();
    for (Future<String> answer : answers) {
      if (answer.get() != null) taken.add(answer.get());
    }
    pool.shutdown();

    // 3 tasks x overlap 2 = 6 slots; each task handed out at most twice.
    assertThat(taken.size()).isLessThanOrEqualTo(6);
    assertThat(taken.stream().distinct().count()).isLessThanOrEqualTo(3);
    taken.stream()
        .distinct()
        .forEach(t -> assertThat(taken.stream().filter(t::equals).count()).isLessThanOrEqualTo(2));
    Number overbooked =
        (Number)
            entityManager
                .createNativeQuery(
                    "select count(*) from task t where t.project_id = ?1 and"
                        + " (select count(*) from assignment a where a.task_id = t.id) > t.answers_wanted")
                .setParameter(1, UUID.fromString(project))
                .getSingleResult();
    assertThat(overbooked.intValue()).isZero();
  }

  void backdateLease(UUID assignmentId) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update assignment set lease_expires_at = now() - interval '1 second'"
                            + " where id = ?1")
                    .setParameter(1, assignmentId)
                    .executeUpdate());
  }
}
