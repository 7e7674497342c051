package dev.rlhf.labeling.reports;

import static dev.rlhf.labeling.reports.ReportsApi.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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

  @Test
  void shouldAnswerASignedInUserWithThePromotedModelThroughTheRuntime() {
    var conversation =
        List.of(
            Map.of("role", "USER", "text", "Hi"),
            Map.of("role", "ASSISTANT", "text", "Hello!"),
            Map.of("role", "USER", "text", "<b>What is 2+2?</b>"));
    as(ReportsApi.user("contractor"))
        .body(Map.of("conversation", conversation))
        .post("/api/chat/completions")
        .then()
        .statusCode(200)
        .body("text", equalTo("echo: <b>What is 2+2?</b> (3 messages)"))
        .body("modelVersion", equalTo(FakeChatRuntime.MODEL));
  }

  @Test
  void shouldFileAReportFromTheChatThatReviewersSeeWithSourceChat() {
    String question = "Is the earth flat? " + UUID.randomUUID();
    String reportId =
        as(ReportsApi.user("contractor"))
            .body(
                Map.of(
                    "conversation",
                    List.of(
                        Map.of("role", "USER", "text", question),
                        Map.of("role", "ASSISTANT", "text", "Yes.")),
                    "modelVersion",
                    FakeChatRuntime.MODEL,
                    "category",
                    "UNTRUTHFUL",
                    "note",
                    "It is round."))
            .post("/api/chat/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");

    as(ReportsApi.user("reviewer"))
        .get("/api/reports/" + reportId)
        .then()
        .statusCode(200)
        .body("source", equalTo("chat"))
        .body("category", equalTo("UNTRUTHFUL"))
        .body("severity", equalTo(3))
        .body("text", equalTo("It is round."))
        .body("modelVersion", equalTo(FakeChatRuntime.MODEL));
  }

  @Test
  void shouldAnswer502WhenTheRuntimeFails() {
    as(ReportsApi.user("contractor"))
        .body(Map.of("conversation", List.of(Map.of("role", "USER", "text", "fail"))))
        .post("/api/chat/completions")
        .then()
        .statusCode(502)
        .contentType("application/problem+json");
  }

  @Test
  void shouldRefuseTheChatToAnonymousVisitors() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("conversation", List.of(Map.of("role", "USER", "text", "Hi"))))
        .post("/api/chat/completions")
        .then()
        .statusCode(401);
  }

  @Test
  void shouldRefuseAChatReportWithoutAKnownCategoryNamingTheField() {
    String contractor = ReportsApi.user("contractor");
    as(contractor)
        .body(
            Map.of(
                "conversation", List.of(Map.of("role", "USER", "text", "Hi")), "category", "RUDE"))
        .post("/api/chat/reports")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("category"));
    as(contractor)
        .body(
            Map.of(
                "conversation",
                List.of(
                    Map.of("role", "USER", "text", "Hi"),
                    Map.of("role", "ASSISTANT", "text", "x"))))
        .post("/api/chat/reports")
        .then()
        .statusCode(400)
        .body("field", equalTo("category"));
  }
}
