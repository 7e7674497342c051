package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.completionsFor;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class CompletionsRoundTripTest {

  @Inject EntityManager entityManager;

  @Test
  void shouldTurnGeneratedCompletionsIntoOneRankingTaskEvenWhenRedelivered() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 2);
    String prompt = prompts(researcher, project, "NONE", "Tell a joke").get(0);
    String requestId =
        as(researcher)
            .body(Map.of("promptIds", List.of(prompt), "k", 3, "policyVersion", "policy-7"))
            .post("/api/projects/" + project + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("[0].requestId");

    var requests =
        TopicReader.read(
            Topic.COMPLETION_REQUESTS,
            e -> e instanceof CompletionsRequested r && r.requestId().toString().equals(requestId),
            Duration.ofSeconds(30),
            1);
    assertThat(requests).hasSize(1);
    assertThat(((CompletionsRequested) requests.get(0)).n()).isEqualTo(3);

    CompletionsGenerated answer = completionsFor(requestId, prompt, "one", "two", "three");
    CompletionsGenerated secondAnswer = completionsFor(requestId, prompt, "four", "five", "six");
    try (EventPublisher runtime =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test-runtime")) {
      runtime.publishAndWait(answer);
      runtime.publishAndWait(answer);
      runtime.publishAndWait(secondAnswer);
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> processed(answer.eventId()) && processed(secondAnswer.eventId()));
    Number tasks =
        (Number)
            entityManager
                .createNativeQuery("select count(*) from task where completion_request_id = ?1")
                .setParameter(1, UUID.fromString(requestId))
                .getSingleResult();
    assertThat(tasks.intValue()).isEqualTo(1);
    var task = next(user("contractor"), project);
    assertThat(task.getString("type")).isEqualTo("RANKING");
    assertThat(task.getList("completions.text")).containsExactly("one", "two", "three");
    assertThat(task.getList("completions.policyVersion")).containsOnly("policy-v1");
  }

  @Test
  void shouldMergeNearDuplicatesAndReportAnAnswerWithoutTwoDistinctCompletions() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    List<String> ids = prompts(researcher, project, "NONE", "Add 2 and 3", "Add 4 and 4");
    List<String> requests =
        as(researcher)
            .body(Map.of("promptIds", ids, "k", 4, "policyVersion", "policy-9"))
            .post("/api/projects/" + project + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("requestId");
    CompletionsGenerated mixed =
        completionsFor(requests.get(0), ids.get(0), "5", "5.", " 5 ", "It is 6");
    CompletionsGenerated alike = completionsFor(requests.get(1), ids.get(1), "8.", "8", "8!", "8");
    try (EventPublisher runtime =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test-runtime")) {
      runtime.publishAndWait(mixed);
      runtime.publishAndWait(alike);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> processed(mixed.eventId()) && processed(alike.eventId()));

    var task = next(user("contractor"), project);
    assertThat(task.getList("completions.text")).containsExactly("5", "It is 6");
    var summary =
        as(researcher)
            .get("/api/projects/" + project + "/completion-requests/summary")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(summary.getInt("requested")).isEqualTo(2);
    assertThat(summary.getInt("fulfilled")).isEqualTo(2);
    assertThat(summary.getInt("rankingTasks")).isEqualTo(1);
    assertThat(summary.getInt("noSignal")).isEqualTo(1);
    assertThat(summary.getInt("duplicatesMerged")).isEqualTo(2 + 3);
    assertThat(summary.getList("noSignalPrompts")).containsExactly(ids.get(1));
  }

  @Test
  void shouldKeepACompletionWithANulCharacterAsTextWithTheReplacementCharacter() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "NONE", "Spell zero").get(0);
    String requestId = requestTwo(researcher, project, prompt);
    // A byte-level network can sample byte 0; PostgreSQL's text columns cannot hold it.
    CompletionsGenerated answer = completionsFor(requestId, prompt, "ze\u0000ro", "zero");
    try (EventPublisher runtime =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test-runtime")) {
      runtime.publishAndWait(answer);
    }

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed(answer.eventId()));
    var task = next(user("contractor"), project);
    assertThat(task.getList("completions.text")).containsExactly("ze\uFFFDro", "zero");
  }

  @Test
  void shouldRecordTheTemperatureEachCompletionWasDrawnAt() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "NONE", "Name a red fruit").get(0);
    String requestId = requestTwo(researcher, project, prompt);
    // The runtime drew the second text in a hotter round, as its first round read alike.
    CompletionsGenerated asked = completionsFor(requestId, prompt, "An apple.");
    CompletionsGenerated answer =
        new CompletionsGenerated(
            asked.eventId(),
            asked.occurredAt(),
            asked.requestId(),
            asked.promptId(),
            asked.policyVersion(),
            asked.sampling(),
            List.of(
                asked.completions().get(0),
                new CompletionsGenerated.GeneratedCompletion("A cherry.", 3, "stop", 1.4)),
            asked.purpose());
    try (EventPublisher runtime =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test-runtime")) {
      runtime.publishAndWait(answer);
    }

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> processed(answer.eventId()));
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select text, (sampling->>'temperature')::float8, (sampling->>'topP')::float8"
                    + " from completion where request_id = ?1 order by text")
            .setParameter(1, UUID.fromString(requestId))
            .getResultList();
    assertThat(rows)
        .extracting(
            r -> r[0], r -> ((Number) r[1]).doubleValue(), r -> ((Number) r[2]).doubleValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A cherry.", 1.4, 0.95),
            org.assertj.core.groups.Tuple.tuple("An apple.", 1.0, 0.95));
  }

  /** Requests two completions of one prompt; returns the request's id. */
  private static String requestTwo(String researcher, String project, String prompt) {
    return as(researcher)
        .body(Map.of("promptIds", List.of(prompt), "k", 2))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(202)
        .extract()
        .path("[0].requestId");
  }

  /** Asked from Awaitility's thread, which has no request context: so in its own transaction. */
  private boolean processed(UUID eventId) {
    Number rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    (Number)
                        entityManager
                            .createNativeQuery(
                                "select count(*) from processed_event where event_id = ?1")
                            .setParameter(1, eventId)
                            .getSingleResult());
    return rows.intValue() == 1;
  }
}
