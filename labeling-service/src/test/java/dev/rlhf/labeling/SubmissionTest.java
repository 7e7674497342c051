package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.labeling.service.DemonstrationService;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SubmissionTest {

  @Inject DemonstrationService demonstrations;
  @Inject EntityManager entityManager;

  private String researcher;
  private String contractor;

  @BeforeEach
  void signUp() {
    researcher = user("researcher");
    contractor = user("contractor");
  }

  private JsonPath rankingAssignment(String... texts) {
    String project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "NONE", "Which is best?").get(0);
    rankingTask(researcher, project, prompt, texts);
    return next(contractor, project);
  }

  @Test
  void shouldStoreADemonstrationAndPublishItOnTheLabelsTopic() {
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Say hello politely");
    String assignment = next(contractor, project).getString("assignmentId");

    String labelId =
        as(contractor)
            .body(Map.of("response", "Hello, nice to meet you.", "timeSpentMs", 4200))
            .post("/api/assignments/" + assignment + "/demonstration")
            .then()
            .statusCode(201)
            .body("kind", equalTo("demonstration"))
            .extract()
            .path("labelId");

    var events =
        TopicReader.read(
            Topic.DEMONSTRATIONS,
            e ->
                e instanceof DemonstrationSubmitted d
                    && d.demonstrationId().toString().equals(labelId),
            Duration.ofSeconds(30),
            1);
    assertThat(events).hasSize(1);
    DemonstrationSubmitted event = (DemonstrationSubmitted) events.get(0);
    assertThat(event.response()).isEqualTo("Hello, nice to meet you.");
    assertThat(event.guidelineVersion()).isEqualTo(1);
    assertThat(event.contractor()).isEqualTo(contractor);
    as(contractor)
        .get("/api/assignments/" + assignment)
        .then()
        .statusCode(200)
        .body("state", equalTo("SUBMITTED"));
  }

  @Test
  void shouldStoreARankingWithTiesAndPublishTheRanks() {
    JsonPath task = rankingAssignment("good", "bad", "also bad");
    List<String> ids = task.getList("completions.id");

    String labelId =
        as(contractor)
            .body(Map.of("order", List.of(List.of(ids.get(0)), List.of(ids.get(1), ids.get(2)))))
            .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");

    var events =
        TopicReader.read(
            Topic.RANKINGS,
            e -> e instanceof RankingSubmitted r && r.rankingId().toString().equals(labelId),
            Duration.ofSeconds(30),
            1);
    assertThat(events).hasSize(1);
    assertThat(((RankingSubmitted) events.get(0)).completions())
        .extracting(
            RankingSubmitted.RankedCompletion::text, RankingSubmitted.RankedCompletion::rank)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("good", 1),
            org.assertj.core.groups.Tuple.tuple("bad", 2),
            org.assertj.core.groups.Tuple.tuple("also bad", 2));
  }

  @Test
  void shouldRejectRankingWithDuplicateCompletion() {
    JsonPath task = rankingAssignment("a", "b");
    List<String> ids = task.getList("completions.id");

    as(contractor)
        .body(Map.of("order", List.of(List.of(ids.get(0)), List.of(ids.get(0)))))
        .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("order"))
        .body("detail", equalTo("completion " + ids.get(0) + " is ranked twice"));
    as(contractor)
        .get("/api/assignments/" + task.getString("assignmentId"))
        .then()
        .body("state", equalTo("ACTIVE"));
  }

  @Test
  void shouldRejectRankingThatLeavesOutOrAddsACompletion() {
    JsonPath task = rankingAssignment("a", "b", "c");
    List<String> ids = task.getList("completions.id");
    String url = "/api/assignments/" + task.getString("assignmentId") + "/ranking";

    as(contractor)
        .body(Map.of("order", List.of(List.of(ids.get(0)), List.of(ids.get(1)))))
        .post(url)
        .then()
        .statusCode(422)
        .body("field", equalTo("order"));
    as(contractor)
        .body(Map.of("order", List.of(ids, List.of(UUID.randomUUID().toString()))))
        .post(url)
        .then()
        .statusCode(422)
        .body("field", equalTo("order"));
  }

  @Test
  void shouldRefuseASubmissionForSomeoneElsesAssignment() {
    JsonPath task = rankingAssignment("a", "b");
    List<String> ids = task.getList("completions.id");

    as(user("contractor"))
        .body(Map.of("order", List.of(ids)))
        .post("/api/assignments/" + task.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(409)
        .body("field", equalTo("assignmentId"));
    as(user("contractor"))
        .get("/api/assignments/" + task.getString("assignmentId"))
        .then()
        .statusCode(404);
  }

  @Test
  void shouldReturnTheFirstResultForARepeatedIdempotencyKeyAndStoreNothingNew() {
    JsonPath task = rankingAssignment("a", "b");
    List<String> ids = task.getList("completions.id");
    String url = "/api/assignments/" + task.getString("assignmentId") + "/ranking";
    Map<String, Object> body = Map.of("order", List.of(List.of(ids.get(1)), List.of(ids.get(0))));

    String first =
        as(contractor)
            .header("Idempotency-Key", "k-1")
            .body(body)
            .post(url)
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");
    String second =
        as(contractor)
            .header("Idempotency-Key", "k-1")
            .body(body)
            .post(url)
            .then()
            .statusCode(201)
            .extract()
            .path("labelId");

    assertThat(second).isEqualTo(first);
    admin()
        .queryParam("project", task.getString("projectId"))
        .get("/api/labels")
        .then()
        .body("$", hasSize(1));
    as(contractor).body(body).post(url).then().statusCode(409);
  }

  @Test
  void shouldRejectAResponseLongerThan32Kilobytes() {
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Write a lot");
    String assignment = next(contractor, project).getString("assignmentId");

    as(contractor)
        .body(Map.of("response", "x".repeat(32 * 1024 + 1)))
        .post("/api/assignments/" + assignment + "/demonstration")
        .then()
        .statusCode(422)
        .body("field", equalTo("response"));
  }

  @Test
  void shouldRefuseARankingForADemonstrationTask() {
    String project = project(researcher, 1, 1);
    prompts(researcher, project, "DEMONSTRATION", "Write");
    String assignment = next(contractor, project).getString("assignmentId");

    as(contractor)
        .body(Map.of("allBad", true))
        .post("/api/assignments/" + assignment + "/ranking")
        .then()
        .statusCode(409);
  }

  @Test
  void shouldAcceptRatingsAndRejectAScoreOutsideTheScale() {
    JsonPath task = rankingAssignment("a", "b");
    String id = task.getString("completions[0].id");
    String url = "/api/assignments/" + task.getString("assignmentId") + "/ratings";

    as(contractor)
        .body(
            Map.of(
                "ratings",
                List.of(
                    Map.of(
                        "completionId",
                        id,
                        "helpful",
                        4,
                        "truthful",
                        5,
                        "harmless",
                        5,
                        "flags",
                        List.of("PII")))))
        .put(url)
        .then()
        .statusCode(200)
        .body("completionId", equalTo(List.of(id)));
    as(contractor)
        .body(Map.of("ratings", List.of(Map.of("completionId", id, "helpful", 9))))
        .put(url)
        .then()
        .statusCode(422)
        .body("field", equalTo("ratings[0].helpful"));
  }

  @Test
  void shouldRejectKOutsideTwoToNine() {
    String project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "NONE", "Sample me").get(0);
    for (int k : new int[] {1, 10}) {
      as(researcher)
          .body(Map.of("promptIds", List.of(prompt), "k", k))
          .post("/api/projects/" + project + "/completion-requests")
          .then()
          .statusCode(422)
          .body("field", equalTo("k"));
    }
  }

  @Test
  void shouldStoreAndPublishNothingWhenTheSubmissionRollsBack() {
    String project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "DEMONSTRATION", "Roll me back").get(0);
    JsonPath task = next(contractor, project);
    UUID assignment = UUID.fromString(task.getString("assignmentId"));
    UUID contractorId =
        UUID.fromString(
            admin()
                .get("/api/admin/users")
                .jsonPath()
                .getString("find { it.username == '" + contractor + "' }.id"));

    assertThatThrownBy(
            () ->
                QuarkusTransaction.requiringNew()
                    .run(
                        () -> {
                          demonstrations.submit(
                              assignment,
                              contractorId,
                              contractor,
                              null,
                              new DemonstrationService.DemonstrationInput("Stored?", null, 10L));
                          throw new IllegalStateException("the client went away");
                        }))
        .hasMessageContaining("client went away");

    Number outboxRows =
        (Number)
            entityManager
                .createNativeQuery("select count(*) from outbox_event where aggregate_key = ?1")
                .setParameter(1, prompt)
                .getSingleResult();
    assertThat(outboxRows.intValue()).isZero();
    as(contractor).get("/api/assignments/" + assignment).then().body("state", equalTo("ACTIVE"));
    assertThat(
            TopicReader.read(
                Topic.DEMONSTRATIONS,
                e ->
                    e instanceof DemonstrationSubmitted d && d.promptId().toString().equals(prompt),
                Duration.ofSeconds(3),
                1))
        .isEmpty();
  }
}
