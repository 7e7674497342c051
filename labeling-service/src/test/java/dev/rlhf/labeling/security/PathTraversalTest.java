package dev.rlhf.labeling.security;

import static dev.rlhf.labeling.LabelingApi.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths that try to climb out: of the static files, and through names the API takes in a path. (A
 * cycle's base or reward version given as a path: {@code CycleTest}; a published version's path:
 * the trainers' and the runtime's tests.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PathTraversalTest {

  private static final List<String> CLIMBS =
      List.of(
          "/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
          "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/js/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
          "/webjars/..%2F..%2F..%2F..%2Fetc/passwd",
          "/_static/..%252F..%252F..%252Fetc%252Fpasswd",
          "/META-INF/resources/index.html",
          "/application.properties");

  @Test
  void shouldServeNothingOutsideTheWebFilesWhateverThePath() {
    for (String climb : CLIMBS) {
      Response response = RestAssured.given().urlEncodingEnabled(false).get(climb);

      assertThat(response.statusCode()).as(climb).isBetween(400, 499);
      assertThat(response.asString()).as(climb).doesNotContain("root:", "quarkus.", "DATABASE");
    }
  }

  @Test
  void shouldTreatAVersionNameInThePathAsANameOnly() {
    for (String version : List.of("..%2F..%2Fetc", "%2Fetc%2Fpasswd", "..")) {
      Response promoted =
          admin().urlEncodingEnabled(false).post("/api/models/" + version + "/promote");

      assertThat(promoted.statusCode()).as(version).isIn(400, 404, 405);
      assertThat(promoted.asString()).as(version).doesNotContain("root:");
    }
  }
}
