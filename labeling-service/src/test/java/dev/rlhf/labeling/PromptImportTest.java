package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PromptImportTest {

  private static io.restassured.response.ValidatableResponse upload(
      String researcher, String project, String contentType, String body) {
    return given()
        .auth()
        .preemptive()
        .basic(researcher, LabelingApi.PASSWORD)
        .contentType(contentType)
        .body(body.getBytes(StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import")
        .then();
  }

  @Test
  void shouldStoreGoodJsonLinesAndReportEachRejectedRowWithItsReason() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    String jsonl =
        String.join(
            "\n",
            "{\"conversation\":[{\"role\":\"system\",\"text\":\"Be brief\"},"
                + "{\"role\":\"user\",\"text\":\"Hi\"}],\"tags\":[\"greeting\"]}",
            "{not json",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},"
                + "{\"role\":\"assistant\",\"content\":\"A\"}]}",
            "{\"prompt\":\"" + "y".repeat(33 * 1024) + "\"}",
            "{\"prompt\":\"From someone unknown\",\"author\":\"nobody-here\"}",
            // Each turn within the 32 KB limit, the three together over the prompt's 64 KB.
            "{\"conversation\":["
                + String.join(
                    ",",
                    Collections.nCopies(
                        3, "{\"role\":\"user\",\"text\":\"" + "z".repeat(30 * 1024) + "\"}"))
                + "]}");

    upload(researcher, project, "application/x-ndjson", jsonl)
        .statusCode(200)
        .body("accepted", equalTo(1))
        .body("rejected", equalTo(5))
        .body("rejectedRows.row", contains(2, 3, 4, 5, 6))
        .body(
            "rejectedRows.field",
            contains("line", "conversation", "conversation.text", "author", "conversation"))
        .body("rejectedRows[4].reason", containsString("longer than 65536 bytes"));
    as(researcher)
        .get("/api/projects/" + project + "/prompts")
        .then()
        .body("$", hasSize(1))
        .body("[0].conversation.role", contains("SYSTEM", "USER"))
        .body("[0].tags", contains("greeting"));
  }

  @Test
  void shouldRefuseToOpenCorrectionOrRankingTasksForImportedPromptsAndStoreNothing() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    for (String tasks : new String[] {"CORRECTION", "RANKING"}) {
      given()
          .auth()
          .preemptive()
          .basic(researcher, LabelingApi.PASSWORD)
          .contentType("application/x-ndjson")
          .queryParam("tasks", tasks)
          .body("{\"prompt\":\"Fix this\"}".getBytes(StandardCharsets.UTF_8))
          .post("/api/projects/" + project + "/prompts/import")
          .then()
          .statusCode(422)
          .contentType("application/problem+json")
          .body("field", equalTo("tasks"));
    }
    as(researcher).get("/api/projects/" + project + "/prompts").then().body("$", hasSize(0));
  }

  @Test
  void shouldRefuseAMalformedPageOrSizeOfThePromptListNamingIt() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    for (String[] bad :
        new String[][] {{"size=ten", "size"}, {"size=501", "size"}, {"page=x", "page"}}) {
      as(researcher)
          .get("/api/projects/" + project + "/prompts?" + bad[0])
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("field", equalTo(bad[1]));
    }
  }

  @Test
  void shouldImportCsvWithQuotedCommasAndLineBreaks() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    String csv =
        "prompt,source,tags\n"
            + "\"Hello, world\",web,a;b\n"
            + "\"Two\nlines\",,\n"
            + "only one field\n";

    upload(researcher, project, "text/csv", csv)
        .statusCode(200)
        .body("accepted", equalTo(2))
        .body("rejectedRows.row", contains(5))
        .body("rejectedRows.field", contains("row"));
    as(researcher)
        .get("/api/projects/" + project + "/prompts")
        .then()
        .body("conversation.text.flatten()", contains("Hello, world", "Two\nlines"))
        .body("[0].tags", contains("a", "b"));
  }

  @Test
  void shouldReportDuplicatePromptsAndStoreEachOnce() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    String first =
        upload(researcher, project, "application/x-ndjson", "{\"prompt\":\"Capital of Peru?\"}")
            .statusCode(200)
            .extract()
            .path("promptIds[0]");
    String jsonl =
        String.join(
            "\n",
            "{\"prompt\":\"What is 2 + 2?\"}",
            // The same question again, in other case and spacing.
            "{\"prompt\":\"  what is 2 +  2? \"}",
            // Already in the project from the first import.
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Capital of Peru?\"}]}",
            // The same words in another role are another prompt.
            "{\"conversation\":[{\"role\":\"system\",\"text\":\"What is 2 + 2?\"},"
                + "{\"role\":\"user\",\"text\":\"Go\"}]}");

    String kept =
        upload(researcher, project, "application/x-ndjson", jsonl)
            .statusCode(200)
            .body("accepted", equalTo(2))
            .body("duplicates", equalTo(2))
            .body("duplicateRows.row", contains(2, 3))
            .body("duplicateRows[1].promptId", equalTo(first))
            .extract()
            .path("promptIds[0]");
    as(researcher)
        .get("/api/projects/" + project + "/prompts")
        .then()
        .body("size()", equalTo(3))
        .body("id", hasItem(kept));
    // Another project may hold the same prompt.
    upload(
            researcher,
            project(researcher, 1, 3),
            "application/x-ndjson",
            "{\"prompt\":\"Capital of Peru?\"}")
        .body("accepted", equalTo(1))
        .body("duplicates", equalTo(0));
  }

  @Test
  void shouldStoreDuplicatesWhenAskedToKeepThemAndStillReportThem() {
    String researcher = user("researcher");
    String project = project(researcher, 1, 3);
    upload(researcher, project, "application/x-ndjson", "{\"prompt\":\"Capital of Peru?\"}")
        .statusCode(200);
    String jsonl = "{\"prompt\":\"Capital of Peru?\"}\n{\"prompt\":\"capital of  peru?\"}";

    importWith(researcher, project, jsonl, "keep")
        .statusCode(200)
        .body("accepted", equalTo(2))
        .body("duplicates", equalTo(2))
        .body("promptIds.size()", equalTo(2));
    as(researcher).get("/api/projects/" + project + "/prompts").then().body("size()", equalTo(3));
    importWith(researcher, project, jsonl, "sometimes")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("duplicates"));
  }

  private static io.restassured.response.ValidatableResponse importWith(
      String researcher, String project, String jsonl, String duplicates) {
    return given()
        .auth()
        .preemptive()
        .basic(researcher, LabelingApi.PASSWORD)
        .contentType("application/x-ndjson")
        .body(jsonl.getBytes(StandardCharsets.UTF_8))
        .queryParam("duplicates", duplicates)
        .post("/api/projects/" + project + "/prompts/import")
        .then();
  }
}
