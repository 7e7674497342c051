package dev.rlhf.labeling;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.as;
import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class AccountsTest {

  @Test
  void shouldCreateTheFirstAdminFromConfiguration() {
    admin().get("/api/me").then().statusCode(200).body("roles", contains("admin"));
  }

  @Test
  void shouldSignInWithTheLoginFormAndStaySignedInWithTheCookie() {
    String contractor = user("contractor");

    String cookie = LabelingApi.signIn(contractor, LabelingApi.PASSWORD);

    given()
        .cookie(LabelingApi.SESSION_COOKIE, cookie)
        .get("/api/me")
        .then()
        .statusCode(200)
        .body("username", equalTo(contractor))
        .body("roles", contains("contractor"));
    given()
        .contentType(ContentType.URLENC)
        .header("X-Requested-With", "test")
        .formParam("j_username", contractor)
        .formParam("j_password", "wrong")
        .post("/j_security_check")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void shouldRefuseADeactivatedUserAndAdmitThemAgainOnceActivated() {
    String contractor = user("contractor");
    as(contractor).get("/api/me").then().statusCode(200);

    admin().post("/api/admin/users/" + contractor + "/deactivate").then().statusCode(200);
    as(contractor).get("/api/me").then().statusCode(401);

    admin().post("/api/admin/users/" + contractor + "/activate").then().statusCode(200);
    as(contractor).get("/api/me").then().statusCode(200);
  }

  @Test
  void shouldApplyChangedRolesAtOnce() {
    String someone = user("contractor");
    Map<String, String> project = Map.of("name", LabelingApi.unique("p"), "guidelines", "# G");
    as(someone).body(project).post("/api/projects").then().statusCode(403);

    admin()
        .body(Map.of("roles", List.of("researcher", "contractor")))
        .put("/api/admin/users/" + someone + "/roles")
        .then()
        .statusCode(200)
        .body("roles", contains("contractor", "researcher"));
    as(someone).body(project).post("/api/projects").then().statusCode(201);
  }

  @Test
  void shouldRefuseAnAdminDeactivatingThemselvesOrDroppingTheirOwnAdminRole() {
    String someAdmin = user("admin");

    as(someAdmin)
        .post("/api/admin/users/" + someAdmin + "/deactivate")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("field", equalTo("username"));
    as(someAdmin)
        .body(Map.of("roles", List.of("researcher")))
        .put("/api/admin/users/" + someAdmin + "/roles")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("field", equalTo("roles"));
    as(someAdmin).get("/api/me").then().statusCode(200).body("roles", contains("admin"));

    as(someAdmin)
        .body(Map.of("roles", List.of("researcher", "admin")))
        .put("/api/admin/users/" + someAdmin + "/roles")
        .then()
        .statusCode(200)
        .body("roles", contains("researcher", "admin"));
    admin().post("/api/admin/users/" + someAdmin + "/deactivate").then().statusCode(200);
    as(someAdmin).get("/api/me").then().statusCode(401);
  }

  @Test
  void shouldRejectAnUnknownRoleAndATakenUsernameNamingTheField() {
    admin()
        .body(
            Map.of(
                "username",
                LabelingApi.unique("x"),
                "password",
                "a secret passphrase",
                "roles",
                List.of("boss")))
        .post("/api/admin/users")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("roles"));
    admin()
        .body(
            Map.of(
                "username", "admin", "password", "a secret passphrase", "roles", List.of("admin")))
        .post("/api/admin/users")
        .then()
        .statusCode(409)
        .body("field", equalTo("username"));
  }

  @Test
  void shouldAnswerUnreadableJsonWithAProblem() {
    admin()
        .body("{\"username\": [")
        .post("/api/admin/users")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
  }

  @Test
  void shouldKeepHealthMetricsAndOpenApiOpen() {
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given().get("/q/openapi").then().statusCode(200);
  }
}
