package dev.rlhf.labeling.reports;

import static dev.rlhf.labeling.reports.ReportsApi.as;
import static dev.rlhf.labeling.reports.ReportsApi.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import dev.rlhf.testing.TopicReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ReportTriageTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void shouldGiveAContractorTheCorrectionTaskOfAnAcceptedReportAsTheirNextTask()
      throws SQLException {
    String reviewer = ReportsApi.user("reviewer");
    String contractor = ReportsApi.user("contractor");
    String project = ReportsApi.project();
    String question = "What is 7 times 6? " + UUID.randomUUID();
    String reportId = newReport(question, "It is 43.", "policy-v9");

    Map<String, Object> accepted =
        as(reviewer)
            .body(Map.of("projectId", project))
            .post("/api/reports/" + reportId + "/accept")
            .then()
            .statusCode(200)
            .body("state", equalTo("ACCEPTED"))
            .body("triagedBy", equalTo(reviewer))
            .body("correctionTaskId", notNullValue())
            .extract()
            .path("");

    Map<String, Object> next =
        as(contractor)
            .post("/api/tasks/next?project=" + project)
            .then()
            .statusCode(200)
            .extract()
            .path("");
    assertThat(next)
        .containsEntry("taskId", accepted.get("correctionTaskId"))
        .containsEntry("type", "CORRECTION")
        .containsEntry("conversation", List.of(Map.of("role", "USER", "text", question)));
    assertThat(next.get("completions").toString()).contains("It is 43.");

    as(contractor)
        .body(Map.of("response", "7 times 6 is 42."))
        .post("/api/assignments/" + next.get("assignmentId") + "/demonstration")
        .then()
        .statusCode(201);
    // Lineage: the prompt the correction answers names the report it came from.
    assertThat(promptSource(next.get("promptId").toString()))
        .isEqualTo("misbehavior-report:" + reportId);
  }

  private String promptSource(String promptId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement("select source from prompt where id = ?")) {
      query.setObject(1, UUID.fromString(promptId));
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  @Test
  void shouldAskTheCurrentPolicyForFreshSamplesAndShowTheirRankingTask() {
    String reviewer = ReportsApi.user("reviewer");
    String project = ReportsApi.project();
    String reportId = newReport("Write a haiku " + UUID.randomUUID(), "No.", "policy-v9");

    String requestId =
        as(reviewer)
            .body(Map.of("projectId", project, "rankingSamples", 3))
            .post("/api/reports/" + reportId + "/accept")
            .then()
            .statusCode(200)
            .extract()
            .path("completionRequestId");
    assertThat(requestId).isNotNull();
    var requests =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.COMPLETION_REQUESTS.topicName(),
            seen -> seen.stream().anyMatch(r -> requestId.equals(r.key())),
            Duration.ofSeconds(30));
    PlatformEvent asked =
        EventCodec.decode(
            requests.stream().filter(r -> requestId.equals(r.key())).findFirst().get().value());
    assertThat(((CompletionsRequested) asked).n()).isEqualTo(3);
    assertThat(((CompletionsRequested) asked).policyVersion()).isNull();

    // The runtime's answer, as it would publish it.
    try (EventPublisher runtime =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "fake-runtime")) {
      runtime.publishAndWait(
          new CompletionsGenerated(
              UUID.randomUUID(),
              Instant.now(),
              UUID.fromString(requestId),
              ((CompletionsRequested) asked).promptId(),
              "policy-v10",
              SamplingSettings.defaults(),
              List.of(
                  new CompletionsGenerated.GeneratedCompletion("Autumn moon", 2, "stop"),
                  new CompletionsGenerated.GeneratedCompletion("Old pond", 2, "stop"),
                  new CompletionsGenerated.GeneratedCompletion("Frog jumps", 2, "stop")),
              "ranking"));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                as(reviewer).get("/api/reports/" + reportId).then().extract().path("rankingTaskId")
                    != null);
  }

  @Test
  void shouldRecordTheReasonOfARejectionAndRefuseASecondDecision() {
    String reviewer = ReportsApi.user("reviewer");
    String reportId = newReport("Tell me a joke " + UUID.randomUUID(), "Knock knock.", "policy-v9");

    as(reviewer)
        .body(Map.of("reason", "  "))
        .post("/api/reports/" + reportId + "/reject")
        .then()
        .statusCode(400)
        .body("field", equalTo("reason"));
    as(reviewer)
        .body(Map.of("reason", "fine\u0000"))
        .post("/api/reports/" + reportId + "/reject")
        .then()
        .statusCode(422)
        .body("field", equalTo("reason"));
    as(reviewer)
        .body(Map.of("reason", "The answer is fine: it is a joke."))
        .post("/api/reports/" + reportId + "/reject")
        .then()
        .statusCode(200)
        .body("state", equalTo("REJECTED"))
        .body("rejectReason", equalTo("The answer is fine: it is a joke."));
    as(reviewer)
        .body(Map.of("projectId", ReportsApi.project()))
        .post("/api/reports/" + reportId + "/accept")
        .then()
        .statusCode(409);
    as(reviewer)
        .get("/api/reports?state=rejected")
        .then()
        .statusCode(200)
        .body("find { it.id == '" + reportId + "' }.state", equalTo("REJECTED"));
  }

  @Test
  void shouldRefuseToAcceptAConversationThatDoesNotEndWithTheUserOrTheAnswerToThem() {
    String reviewer = ReportsApi.user("reviewer");
    String reportId =
        postReport(
            List.of(
                Map.of("role", "USER", "text", "Hi " + UUID.randomUUID()),
                Map.of("role", "ASSISTANT", "text", "Hello."),
                Map.of("role", "ASSISTANT", "text", "Anything else?")),
            null);

    as(reviewer)
        .body(Map.of("projectId", ReportsApi.project()))
        .post("/api/reports/" + reportId + "/accept")
        .then()
        .statusCode(409)
        .body("field", equalTo("conversation"));
    as(reviewer)
        .get("/api/reports?state=new")
        .then()
        .body("find { it.id == '" + reportId + "' }.state", equalTo("NEW"));
  }

  @Test
  void shouldRefuseAMalformedPageOrSizeWithAProblemNamingIt() {
    String reviewer = ReportsApi.user("reviewer");
    for (String[] bad :
        new String[][] {{"size=abc", "size"}, {"size=0", "size"}, {"page=-1", "page"}}) {
      as(reviewer)
          .get("/api/reports?" + bad[0])
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("field", equalTo(bad[1]));
    }
  }

  @Test
  void shouldForbidAContractorToSeeOrTriageReports() {
    String contractor = ReportsApi.user("contractor");
    String reportId = newReport("Hello " + UUID.randomUUID(), "Whatever.", "policy-v9");

    as(contractor).get("/api/reports").then().statusCode(403);
    as(contractor).get("/api/reports/summary").then().statusCode(403);
    as(contractor)
        .body(Map.of("projectId", ReportsApi.project()))
        .post("/api/reports/" + reportId + "/accept")
        .then()
        .statusCode(403);
    as(contractor)
        .body(Map.of("reason", "no"))
        .post("/api/reports/" + reportId + "/reject")
        .then()
        .statusCode(403);
    as(ReportsApi.user("reviewer"))
        .get("/api/reports/" + reportId)
        .then()
        .statusCode(200)
        .body("state", equalTo("NEW"));
  }

  @Test
  void shouldCountReportsByCategoryModelVersionAndState() {
    String reviewer = ReportsApi.user("reviewer");
    String version = "policy-" + UUID.randomUUID();
    newReport("A " + UUID.randomUUID(), "a", version);
    newReport("B " + UUID.randomUUID(), "b", version);
    String rejected = newReport("C " + UUID.randomUUID(), "c", version);
    as(reviewer)
        .body(Map.of("reason", "duplicate of a known issue"))
        .post("/api/reports/" + rejected + "/reject")
        .then()
        .statusCode(200);

    as(reviewer)
        .get("/api/reports/summary")
        .then()
        .statusCode(200)
        .body("byModelVersion.find { it.key == '" + version + "' }.reports", equalTo(3))
        .body("byModelVersion.find { it.key == '" + version + "' }.byState.NEW", equalTo(2))
        .body("byModelVersion.find { it.key == '" + version + "' }.byState.REJECTED", equalTo(1))
        .body("byCategory.find { it.key == 'UNHELPFUL' }.reports", notNullValue())
        .body("byState.REJECTED", notNullValue());
  }

  private static String newReport(String question, String answer, String modelVersion) {
    return postReport(
        List.of(
            Map.of("role", "USER", "text", question), Map.of("role", "ASSISTANT", "text", answer)),
        modelVersion);
  }

  private static String postReport(List<Map<String, String>> turns, String modelVersion) {
    Map<String, Object> body = ReportsApi.report("t-" + UUID.randomUUID(), turns, "UNHELPFUL", 3);
    if (modelVersion != null) body.put("modelVersion", modelVersion);
    return withToken(token())
        .body(body)
        .post("/api/reports")
        .then()
        .statusCode(201)
        .extract()
        .path("reportId");
  }

  private static String token;

  private static synchronized String token() {
    if (token == null) token = ReportsApi.token("triage-test");
    return token;
  }
}
