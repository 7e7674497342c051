package dev.rlhf.labeling.security;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.origin;
import static dev.rlhf.labeling.LabelingApi.signIn;
import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests a page of another origin could make a signed-in browser send. The attacker's page may
 * sit on another port of the same host (the model runtime's, say): same site, so the SameSite
 * cookie goes along, which is why the service checks more than the cookie.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class CrossSiteRequestTest {

  private static final String SIBLING_PORT = "http://127.0.0.1:8081";

  private static String projectJson(String name) {
    return LabelingApi.json(Map.of("name", name, "guidelines", "# Be kind"));
  }

  private static boolean projectExists(String name) {
    List<String> names = admin().get("/api/projects").path("name");
    return names.contains(name);
  }

  private static RequestSpecification researcherBrowser() {
    return given()
        .cookie(LabelingApi.SESSION_COOKIE, signIn(user("researcher"), LabelingApi.PASSWORD));
  }

  @Test
  void shouldRefuseAStateChangeFromAnotherOriginEvenOnTheSameSite() {
    String name = LabelingApi.unique("csrf");
    Response response =
        researcherBrowser()
            .header("Origin", SIBLING_PORT)
            .contentType(ContentType.JSON)
            .body(projectJson(name))
            .post("/api/projects");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.<String>path("field")).isEqualTo("Origin");
    assertThat(projectExists(name)).isFalse();
  }

  @Test
  void shouldRefuseAStateChangeFromASandboxedFrameWhoseOriginIsNull() {
    String name = LabelingApi.unique("csrf-null");
    researcherBrowser()
        .header("Origin", "null")
        .contentType(ContentType.JSON)
        .body(projectJson(name))
        .post("/api/projects")
        .then()
        .statusCode(403)
        .body("field", equalTo("Origin"));
    assertThat(projectExists(name)).isFalse();
  }

  @Test
  void shouldRefuseWhatAnHtmlFormCanSendWithoutTheHeader() {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
      String name = LabelingApi.unique("csrf-form");
      researcherBrowser()
          .header("Origin", origin())
          .contentType(type)
          .body(projectJson(name))
          .post("/api/projects")
          .then()
          .statusCode(403)
          .body("field", equalTo("X-Requested-With"));
      assertThat(projectExists(name)).as(type).isFalse();
    }
  }

  @Test
  void shouldRefuseACookieRequestThatDoesNotSayWhereItComesFrom() {
    String name = LabelingApi.unique("csrf-no-origin");
    researcherBrowser()
        .contentType(ContentType.JSON)
        .body(projectJson(name))
        .post("/api/projects")
        .then()
        .statusCode(403)
        .body("field", equalTo("Origin"));
    assertThat(projectExists(name)).isFalse();
  }

  @Test
  void shouldAcceptThePagesOwnRequests() {
    String name = LabelingApi.unique("own");
    researcherBrowser()
        .header("Origin", origin())
        .contentType(ContentType.JSON)
        .body(projectJson(name))
        .post("/api/projects")
        .then()
        .statusCode(201);
    assertThat(projectExists(name)).isTrue();
  }

  @Test
  void shouldLetScriptsWithBasicAuthWorkWithoutAnOrigin() {
    String researcher = user("researcher");
    // JSON with basic auth and no Origin, as scripts send it.
    String project = LabelingApi.project(researcher, 1, 1);
    String prompt = LabelingApi.prompts(researcher, project, "NONE", "p").get(0);
    String task =
        LabelingApi.as(researcher)
            .body(Map.of("promptId", prompt, "type", "DEMONSTRATION"))
            .post("/api/projects/" + project + "/tasks")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    // A bodiless POST names itself with the header instead of a content type.
    given()
        .auth()
        .preemptive()
        .basic(researcher, LabelingApi.PASSWORD)
        .post("/api/tasks/" + task + "/cancel")
        .then()
        .statusCode(403)
        .body("field", equalTo("X-Requested-With"));
    given()
        .auth()
        .preemptive()
        .basic(researcher, LabelingApi.PASSWORD)
        .header("X-Requested-With", "script")
        .post("/api/tasks/" + task + "/cancel")
        .then()
        .statusCode(200);
  }

  @Test
  void shouldRefuseASignInFormPostedFromAnotherSite() {
    String contractor = user("contractor");
    Response forged =
        given()
            .contentType(ContentType.URLENC)
            .header("Origin", "https://evil.example")
            .header("X-Requested-With", "fetch")
            .formParam("j_username", contractor)
            .formParam("j_password", LabelingApi.PASSWORD)
            .post("/j_security_check");
    Response plainForm =
        given()
            .contentType(ContentType.URLENC)
            .formParam("j_username", contractor)
            .formParam("j_password", LabelingApi.PASSWORD)
            .post("/j_security_check");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(plainForm.statusCode()).isEqualTo(403);
    assertThat(forged.getCookie(LabelingApi.SESSION_COOKIE)).isNull();
    assertThat(plainForm.getCookie(LabelingApi.SESSION_COOKIE)).isNull();
  }
}
