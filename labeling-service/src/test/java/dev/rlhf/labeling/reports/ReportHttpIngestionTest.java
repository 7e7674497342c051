package dev.rlhf.labeling.reports;

import static dev.rlhf.labeling.reports.ReportsApi.as;
import static dev.rlhf.labeling.reports.ReportsApi.conversation;
import static dev.rlhf.labeling.reports.ReportsApi.report;
import static dev.rlhf.labeling.reports.ReportsApi.reportsWithExternalId;
import static dev.rlhf.labeling.reports.ReportsApi.withToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class ReportHttpIngestionTest {

  @Test
  void shouldStoreAReportPostedWithAnIssuedTokenUnderTheTokensSource() {
    String token = ReportsApi.token("search-frontend");
    String externalId = "ext-" + UUID.randomUUID();

    withToken(token)
        .body(report(externalId, conversation("What is 2+2?", "5"), "UNTRUTHFUL", 4))
        .post("/api/reports")
        .then()
        .statusCode(201)
        .body("reportCount", equalTo(1))
        .body("merged", equalTo(false));

    List<Map<String, Object>> seen = reportsWithExternalId(ReportsApi.user("reviewer"), externalId);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0))
        .containsEntry("source", "search-frontend")
        .containsEntry("state", "NEW")
        .containsEntry("category", "UNTRUTHFUL")
        .containsEntry("severity", 4)
        .containsEntry("modelVersion", "policy-v3");
  }

  @Test
  void shouldReadOpenAiStyleLowercaseRolesAndCategories() {
    String token = ReportsApi.token("openai-style");
    String externalId = "lower-" + UUID.randomUUID();
    var lowercase =
        List.of(
            Map.of("role", "user", "text", "Capital of Peru? " + UUID.randomUUID()),
            Map.of("role", "assistant", "text", "Quito."));

    withToken(token)
        .body(report(externalId, lowercase, "untruthful", 3))
        .post("/api/reports")
        .then()
        .statusCode(201);

    Map<String, Object> seen =
        reportsWithExternalId(ReportsApi.user("reviewer"), externalId).get(0);
    assertThat(seen).containsEntry("category", "UNTRUTHFUL");
    assertThat(seen.get("conversation").toString()).contains("role=USER", "role=ASSISTANT");
  }

  @Test
  void shouldRefuseReportsWithARevokedTokenWith401() {
    String token = ReportsApi.token("mobile-app");
    String id =
        as("admin")
            .get("/api/admin/report-tokens")
            .then()
            .extract()
            .path("find { it.source == 'mobile-app' }.id");
    withToken(token)
        .body(report("a-" + UUID.randomUUID(), conversation("Hi", "Go away"), "UNHELPFUL", 2))
        .post("/api/reports")
        .then()
        .statusCode(201);

    as("admin").post("/api/admin/report-tokens/" + id + "/revoke").then().statusCode(200);

    withToken(token)
        .body(report("b-" + UUID.randomUUID(), conversation("Hi", "Go away"), "UNHELPFUL", 2))
        .post("/api/reports")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void shouldRefuseReportsWithoutOrWithAnUnknownTokenWith401() {
    Map<String, Object> body =
        report("c-" + UUID.randomUUID(), conversation("Hi", "x"), "OTHER", 1);
    given().contentType(ContentType.JSON).body(body).post("/api/reports").then().statusCode(401);
    withToken("rlhf_rt_not-a-real-token").body(body).post("/api/reports").then().statusCode(401);
  }

  @Test
  void shouldListTokensWithoutTheirSecret() {
    ReportsApi.token("listed-source");
    as("admin")
        .get("/api/admin/report-tokens")
        .then()
        .statusCode(200)
        .body("find { it.source == 'listed-source' }", not(hasKey("token")));
  }

  @Test
  void shouldMergeTheSameSourceAndExternalIdIntoOneReportCountedTwice() {
    String token = ReportsApi.token("chat-widget");
    String externalId = "dup-" + UUID.randomUUID();
    var conversation = conversation("Capital of France?", "Berlin");
    String first =
        withToken(token)
            .body(report(externalId, conversation, "UNTRUTHFUL", 2))
            .post("/api/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");

    withToken(token)
        .body(report(externalId, conversation, "UNTRUTHFUL", 5))
        .post("/api/reports")
        .then()
        .statusCode(200)
        .body("reportId", equalTo(first))
        .body("reportCount", equalTo(2))
        .body("merged", equalTo(true));

    List<Map<String, Object>> seen = reportsWithExternalId(ReportsApi.user("reviewer"), externalId);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).containsEntry("reportCount", 2).containsEntry("severity", 5);
  }

  @Test
  void shouldMergeTheSameConversationFromAnotherSourceIgnoringCaseAndSpacing() {
    String question = "How do I boil an egg? " + UUID.randomUUID();
    var original =
        List.of(
            Map.of("role", "USER", "text", question),
            Map.of("role", "ASSISTANT", "text", "I cannot help with that."));
    var copied =
        List.of(
            Map.of("role", "USER", "text", "  " + question.toUpperCase() + "  "),
            Map.of("role", "ASSISTANT", "text", "I  cannot help\nwith that."));
    String first =
        withToken(ReportsApi.token("support-bot"))
            .body(report("s-1", original, "WRONG_REFUSAL", 3))
            .post("/api/reports")
            .then()
            .statusCode(201)
            .extract()
            .path("reportId");

    withToken(ReportsApi.token("monitoring"))
        .body(report("m-1", copied, "WRONG_REFUSAL", 3))
        .post("/api/reports")
        .then()
        .statusCode(200)
        .body("reportId", equalTo(first))
        .body("reportCount", equalTo(2));
  }

  @Test
  void shouldAnswerBadReportsWith400NamingTheFieldAndStoreNothing() {
    String token = ReportsApi.token("validated-source");
    String externalId = "bad-" + UUID.randomUUID();
    var ok = conversation("Q", "A");

    expectBadField(token, report(externalId, ok, "HARMFUL", 9), "severity");
    Map<String, Object> noCategory = report(externalId, ok, "HARMFUL", 3);
    noCategory.remove("category");
    expectBadField(token, noCategory, "category");
    expectBadField(token, report(externalId, ok, "RUDE", 3), "category");
    Map<String, Object> longNote = report(externalId, ok, "HARMFUL", 3);
    longNote.put("text", "x".repeat(4097));
    expectBadField(token, longNote, "text");
    List<Map<String, String>> manyTurns = new ArrayList<>();
    for (int i = 0; i < 51; i++)
      manyTurns.add(Map.of("role", i % 2 == 0 ? "USER" : "ASSISTANT", "text", "t" + i));
    expectBadField(token, report(externalId, manyTurns, "HARMFUL", 3), "conversation");
    var huge = List.of(Map.of("role", "USER", "text", "y".repeat(32 * 1024 + 1)));
    expectBadField(token, report(externalId, huge, "HARMFUL", 3), "conversation");
    expectBadField(token, report(externalId, List.of(), "HARMFUL", 3), "conversation");

    assertThat(reportsWithExternalId(ReportsApi.user("reviewer"), externalId)).isEmpty();
  }

  @Test
  void shouldAnswerTextsWithANulCharacterWith400RatherThanFailInTheDatabase() {
    String token = ReportsApi.token("nul-source");
    String externalId = "nul-" + UUID.randomUUID();

    expectBadField(
        token, report(externalId, conversation("Q\u0000", "A"), "OTHER", 2), "conversation[0]");
    Map<String, Object> nulNote = report(externalId, conversation("Q", "A"), "OTHER", 2);
    nulNote.put("text", "see\u0000this");
    expectBadField(token, nulNote, "text");
    expectBadField(
        token, report(externalId + "\u0000", conversation("Q", "A"), "OTHER", 2), "externalId");

    assertThat(reportsWithExternalId(ReportsApi.user("reviewer"), externalId)).isEmpty();
  }

  private static void expectBadField(String token, Map<String, Object> body, String field) {
    withToken(token)
        .body(body)
        .post("/api/reports")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", startsWith(field));
  }
}
