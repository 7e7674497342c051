package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.next;
import static dev.rlhf.labeling.LabelingApi.project;
import static dev.rlhf.labeling.LabelingApi.prompts;
import static dev.rlhf.labeling.LabelingApi.rankingTask;
import static dev.rlhf.labeling.LabelingApi.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ratings and flags read back: by their contractor, in the data browser, export and numbers. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RatingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String researcher;
  private String contractor;
  private String project;
  private JsonPath assignment;

  @BeforeEach
  void rankingAssignment() {
    researcher = user("researcher");
    contractor = user("contractor");
    project = project(researcher, 1, 1);
    String prompt = prompts(researcher, project, "NONE", "Name a primary colour.").get(0);
    rankingTask(researcher, project, prompt, "Red.", "<img src=x onerror=alert(1)> Purple.");
    assignment = next(contractor, project);
  }

  private String completion(int i) {
    return assignment.getString("completions[" + i + "].id");
  }

  private String url() {
    return "/api/assignments/" + assignment.getString("assignmentId") + "/ratings";
  }

  private static Map<String, Object> rating(String completionId, Object... fields) {
    Map<String, Object> rating = new HashMap<>();
    rating.put("completionId", completionId);
    for (int i = 0; i < fields.length; i += 2) rating.put((String) fields[i], fields[i + 1]);
    return rating;
  }

  private void rate(Map<?, ?>... ratings) {
    as(contractor).body(Map.of("ratings", List.of(ratings))).put(url()).then().statusCode(200);
  }

  /** The second completion rated 2/-/1 and flagged twice; the first rated helpful 5. */
  private void rateBoth() {
    rate(
        rating(completion(1), "helpful", 2, "harmless", 1, "flags", List.of("PII", "HARMFUL")),
        rating(completion(0), "helpful", 5));
  }

  private List<JsonNode> export(Map<String, ?> params) throws Exception {
    String body =
        as(researcher)
            .queryParams(params)
            .get("/api/exports/ratings")
            .then()
            .statusCode(200)
            .contentType("application/x-ndjson")
            .header("Content-Disposition", "attachment; filename=\"ratings.jsonl\"")
            .extract()
            .asString();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) if (!line.isBlank()) lines.add(JSON.readTree(line));
    return lines;
  }

  @Test
  void shouldShowTheSavedRatingsWhenTheAssignmentIsLoadedAgain() {
    rateBoth();

    JsonPath reloaded =
        as(contractor)
            .get("/api/assignments/" + assignment.getString("assignmentId"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(reloaded.getList("ratings.completionId"))
        .containsExactly(completion(0), completion(1));
    assertThat(reloaded.getInt("ratings[0].helpful")).isEqualTo(5);
    assertThat(reloaded.getString("ratings[0].truthful")).isNull();
    assertThat(reloaded.getList("ratings[0].flags")).isEmpty();
    assertThat(reloaded.getInt("ratings[1].helpful")).isEqualTo(2);
    assertThat(reloaded.getInt("ratings[1].harmless")).isEqualTo(1);
    assertThat(reloaded.getList("ratings[1].flags")).containsExactly("HARMFUL", "PII");
    assertThat(reloaded.getString("ratings[1].ratedAt")).isNotBlank();
    as(contractor)
        .queryParam("state", "ACTIVE")
        .get("/api/assignments")
        .then()
        .body(
            "find { it.assignmentId == '"
                + assignment.getString("assignmentId")
                + "' }"
                + ".ratings.size()",
            equalTo(2));
  }

  @Test
  void shouldReplaceARatingAndWithdrawOneSentWithNothingGiven() {
    rateBoth();

    as(contractor)
        .body(
            Map.of(
                "ratings",
                List.of(
                    rating(completion(1), "truthful", 4, "flags", List.of("REFUSAL")),
                    rating(completion(0), "flags", List.of()))))
        .put(url())
        .then()
        .statusCode(200)
        .body("completionId", equalTo(List.of(completion(1))))
        .body("[0].helpful", nullValue())
        .body("[0].truthful", equalTo(4))
        .body("[0].flags", equalTo(List.of("REFUSAL")));

    JsonPath reloaded =
        as(contractor)
            .get("/api/assignments/" + assignment.getString("assignmentId"))
            .then()
            .extract()
            .jsonPath();
    assertThat(reloaded.getList("ratings.completionId")).containsExactly(completion(1));
    assertThat(reloaded.getList("ratings[0].flags")).containsExactly("REFUSAL");
  }

  @Test
  void shouldNameTheFieldOfABadRating() {
    as(contractor)
        .body(Map.of("ratings", List.of(rating(completion(0), "flags", List.of("RUDE")))))
        .put(url())
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("ratings[0].flags[0]"));
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    as(contractor)
        .body(Map.of("ratings", List.of(rating(completion(0), "flags", withNull))))
        .put(url())
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("ratings[0].flags"));
    as(contractor)
        .body(Map.of("ratings", List.of(rating(completion(0), "harmless", 0))))
        .put(url())
        .then()
        .statusCode(422)
        .body("field", equalTo("ratings[0].harmless"));
    as(contractor)
        .body(
            Map.of(
                "ratings",
                List.of(
                    rating(completion(0), "helpful", 3),
                    rating(assignment.getString("promptId"), "helpful", 3))))
        .put(url())
        .then()
        .statusCode(422)
        .body("field", equalTo("ratings[1].completionId"));

    assertThat(
            as(contractor)
                .get("/api/assignments/" + assignment.getString("assignmentId"))
                .then()
                .extract()
                .jsonPath()
                .getList("ratings"))
        .as("nothing partial is stored")
        .isEmpty();
  }

  @Test
  void shouldBrowseRatingsWithTheLabelFilters() {
    rateBoth();

    JsonPath ratings =
        as(user("reviewer"))
            .queryParam("project", project)
            .queryParam("type", "rating")
            .get("/api/labels")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(ratings.getList("type")).containsExactly("RATING", "RATING");
    Map<String, Object> flagged =
        ratings.getMap("find { it.rating.completionId == '" + completion(1) + "' }");
    assertThat(flagged)
        .containsEntry("contractor", contractor)
        .containsEntry("guidelineVersion", 1)
        .containsEntry("projectId", project)
        .containsEntry("promptId", assignment.getString("promptId"))
        .containsEntry("text", "<img src=x onerror=alert(1)> Purple.")
        .containsEntry("timeSpentMs", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> rating = (Map<String, Object>) flagged.get("rating");
    assertThat(rating)
        .containsEntry("completionId", completion(1))
        .containsEntry("policyVersion", "policy-v1")
        .containsEntry("helpful", 2)
        .containsEntry("truthful", null)
        .containsEntry("harmless", 1)
        .containsEntry("flags", List.of("HARMFUL", "PII"));

    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    for (Map<String, Object> filter :
        List.<Map<String, Object>>of(
            Map.of("contractor", user("contractor")),
            Map.of("guidelineVersion", 2),
            Map.of("from", tomorrow),
            Map.of("to", "2020-01-01"))) {
      as(researcher)
          .queryParam("project", project)
          .queryParam("type", "RATING")
          .queryParams(filter)
          .get("/api/labels")
          .then()
          .statusCode(200)
          .body("size()", equalTo(0));
    }
    as(researcher)
        .queryParam("project", project)
        .queryParam("contractor", contractor)
        .get("/api/labels")
        .then()
        .body("type", equalTo(List.of("RATING", "RATING")));
    as(researcher)
        .queryParam("type", "VOTE")
        .get("/api/labels")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("type"));
  }

  @Test
  void shouldExportOneLinePerRatingWithThePromptMessagesAndTheScores() throws Exception {
    rateBoth();
    as(contractor)
        .body(Map.of("order", List.of(List.of(completion(0)), List.of(completion(1)))))
        .post("/api/assignments/" + assignment.getString("assignmentId") + "/ranking")
        .then()
        .statusCode(201);

    List<JsonNode> lines = export(Map.of("project", project));

    assertThat(lines).hasSize(2);
    List<String> keys =
        List.of(
            "rating_id",
            "prompt_id",
            "completion_id",
            "messages",
            "completion",
            "policy_version",
            "helpful",
            "truthful",
            "harmless",
            "flags",
            "annotator",
            "guideline_version",
            "rated_at");
    for (JsonNode line : lines) {
      List<String> names = new ArrayList<>();
      line.fieldNames().forEachRemaining(names::add);
      assertThat(names).as("every line has the same columns").isEqualTo(keys);
    }
    JsonNode flagged =
        lines.stream()
            .filter(l -> l.get("completion_id").asText().equals(completion(1)))
            .findFirst()
            .orElseThrow();
    assertThat(flagged.get("messages").toString())
        .isEqualTo("[{\"role\":\"user\",\"content\":\"Name a primary colour.\"}]");
    assertThat(flagged.get("completion").asText())
        .isEqualTo("<img src=x onerror=alert(1)> Purple.");
    assertThat(flagged.get("policy_version").asText()).isEqualTo("policy-v1");
    assertThat(flagged.get("helpful").asInt()).isEqualTo(2);
    assertThat(flagged.get("truthful").isNull()).isTrue();
    assertThat(flagged.get("harmless").asInt()).isEqualTo(1);
    assertThat(flagged.get("flags").toString()).isEqualTo("[\"HARMFUL\",\"PII\"]");
    assertThat(flagged.get("annotator").asText()).isEqualTo(contractor);
    assertThat(flagged.get("guideline_version").asInt()).isEqualTo(1);
    assertThat(export(Map.of("project", project, "guidelineVersion", 2))).isEmpty();
    assertThat(export(Map.of("project", project, "contractor", researcher))).isEmpty();
    assertThat(export(Map.of("project", project, "contractor", contractor))).hasSize(2);
    as(researcher)
        .queryParam("from", "yesterday")
        .get("/api/exports/ratings")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("field", equalTo("from"));
    as(researcher)
        .queryParam("project", "not-a-uuid")
        .get("/api/exports/ratings")
        .then()
        .statusCode(400)
        .body("field", equalTo("project"));
  }

  @Test
  void shouldCountRatingsAndEachFlagInTheStatistics() {
    rateBoth();

    as(researcher)
        .queryParam("project", project)
        .get("/api/statistics")
        .then()
        .statusCode(200)
        .body("ratings", equalTo(2))
        .body("flags.HARMFUL", equalTo(1))
        .body("flags.PII", equalTo(1))
        .body("flags.REFUSAL", equalTo(0))
        .body("flags.size()", equalTo(6));
  }
}
