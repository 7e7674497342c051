package dev.rlhf.labeling.reports;

import static dev.rlhf.labeling.reports.ReportsApi.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

// The fake runtime is a global test resource (like the database and broker), so every test class
// shares one running application.
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(FakeChatRuntime.class)
class ChatTest {

  /** Sends the next message after an answer (null: a new chat); returns the reply. */
  static JsonPath say(String user, String answerId, String message) {
    Map<String, Object> body = new HashMap<>();
    body.put("message", message);
    if (answerId != null) body.put("answerId", answerId);
    return as(user)
        .body(body)
        .post("/api/chat/completions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void shouldAnswerASignedInUserWithThePromotedModelThroughTheRuntime() {
    String user = ReportsApi.user("contractor");
    JsonPath first = say(user, null, "Hi");

    JsonPath second = say(user, first.getString("answerId"), "<b>What is 2+2?</b>");

    assertThat(first.getString("text")).isEqualTo("echo: Hi (1 messages)");
    assertThat(second.getString("text")).isEqualTo("echo: <b>What is 2+2?</b> (3 messages)");
    assertThat(second.getString("modelVersion")).isEqualTo(FakeChatRuntime.MODEL);
  }

  @Test
  void shouldFileAReportOfAnAnswerWithTheConversationAndVersionTheServiceKept() {
    String user = ReportsApi.user("contractor");
    String question = "Is the earth flat? " + UUID.randomUUID();
    String answerId = say(user, null, question).getString("answerId");

    String reportId =
        as(user)
            .body(Map.of("answerId", answerId, "category", "UNTRUTHFUL", "note", "It is round."))
            .post("/api/chat/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");

    JsonPath report =
        as(ReportsApi.user("reviewer"))
            .get("/api/reports/" + reportId)
            .then()
            .statusCode(200)
            .body("source", equalTo("chat"))
            .body("category", equalTo("UNTRUTHFUL"))
            .body("severity", equalTo(3))
            .body("text", equalTo("It is round."))
            .body("modelVersion", equalTo(FakeChatRuntime.MODEL))
            .extract()
            .jsonPath();
    assertThat(report.getList("conversation.text"))
        .containsExactly(question, "echo: " + question + " (1 messages)");
  }

  @Test
  void shouldIgnoreATurnOrVersionTheClientMakesUpAndRefuseSomeoneElsesAnswer() {
    String user = ReportsApi.user("contractor");
    String answerId =
        say(user, null, "Say something nice " + UUID.randomUUID()).getString("answerId");

    String reportId =
        as(user)
            .body(
                Map.of(
                    "answerId",
                    answerId,
                    "category",
                    "HARMFUL",
                    "modelVersion",
                    "policy-made-up",
                    "conversation",
                    List.of(Map.of("role", "ASSISTANT", "text", "something invented"))))
            .post("/api/chat/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");
    JsonPath report = as(ReportsApi.user("reviewer")).get("/api/reports/" + reportId).jsonPath();
    assertThat(report.getString("modelVersion")).isEqualTo(FakeChatRuntime.MODEL);
    assertThat(report.getList("conversation.text")).doesNotContain("something invented");

    String stranger = ReportsApi.user("contractor");
    as(stranger)
        .body(Map.of("answerId", answerId, "category", "HARMFUL"))
        .post("/api/chat/reports")
        .then()
        .statusCode(404)
        .body("field", equalTo("answerId"));
    as(stranger)
        .body(Map.of("answerId", answerId, "message", "go on"))
        .post("/api/chat/completions")
        .then()
        .statusCode(404)
        .body("field", equalTo("answerId"));
  }

  @Test
  void shouldKeepAReporterFromDecidingOnOrLabelingTheirOwnReport() {
    // One person who both labels and reviews: the combination self-review would need.
    String both = "both-" + UUID.randomUUID().toString().substring(0, 8);
    as("admin")
        .body(
            Map.of(
                "username",
                both,
                "password",
                ReportsApi.PASSWORD,
                "roles",
                List.of("contractor", "reviewer")))
        .post("/api/admin/users")
        .then()
        .statusCode(201);
    String answerId = say(both, null, "Tell me a fact " + UUID.randomUUID()).getString("answerId");
    String reportId =
        as(both)
            .body(Map.of("answerId", answerId, "category", "UNTRUTHFUL"))
            .post("/api/chat/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");
    String project = ReportsApi.project();

    as(both)
        .body(Map.of("projectId", project))
        .post("/api/reports/" + reportId + "/accept")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    as(both)
        .body(Map.of("reason", "mine"))
        .post("/api/reports/" + reportId + "/reject")
        .then()
        .statusCode(403);
    String correctionTask =
        as(ReportsApi.user("reviewer"))
            .body(Map.of("projectId", project))
            .post("/api/reports/" + reportId + "/accept")
            .then()
            .statusCode(200)
            .extract()
            .path("correctionTaskId");

    as(both).post("/api/tasks/next?project=" + project).then().statusCode(204);
    as(ReportsApi.user("contractor"))
        .post("/api/tasks/next?project=" + project)
        .then()
        .statusCode(200)
        .body("taskId", equalTo(correctionTask));
  }

  @Test
  void shouldAnswer502WhenTheRuntimeFails() {
    as(ReportsApi.user("contractor"))
        .body(Map.of("message", "fail"))
        .post("/api/chat/completions")
        .then()
        .statusCode(502)
        .contentType("application/problem+json");
  }

  @Test
  void shouldRefuseTheChatToAnonymousVisitors() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("message", "Hi"))
        .post("/api/chat/completions")
        .then()
        .statusCode(401);
  }

  @Test
  void shouldRefuseAChatReportWithoutAKnownCategoryOrAnAnswerNamingTheField() {
    String contractor = ReportsApi.user("contractor");
    String answerId = say(contractor, null, "Hi " + UUID.randomUUID()).getString("answerId");
    as(contractor)
        .body(Map.of("answerId", answerId, "category", "RUDE"))
        .post("/api/chat/reports")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("category"));
    as(contractor)
        .body(Map.of("answerId", answerId))
        .post("/api/chat/reports")
        .then()
        .statusCode(400)
        .body("field", equalTo("category"));
    as(contractor)
        .body(Map.of("category", "OTHER"))
        .post("/api/chat/reports")
        .then()
        .statusCode(404)
        .body("field", equalTo("answerId"));
    as(contractor)
        .body(Map.of("message", " "))
        .post("/api/chat/completions")
        .then()
        .statusCode(400)
        .body("field", equalTo("message"));
  }
}
