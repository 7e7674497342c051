package dev.rlhf.labeling.security;

import static dev.rlhf.labeling.LabelingApi.admin;
import static dev.rlhf.labeling.LabelingApi.signIn;
import static dev.rlhf.labeling.LabelingApi.user;
import static dev.rlhf.labeling.LabelingApi.withSession;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sign-in sessions end for good: at sign-out, on a password change or reset, and by age. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SessionTest {

  @Inject AgroalDataSource dataSource;

  private static int me(String cookie) {
    return withSession(cookie).get("/api/me").statusCode();
  }

  @Test
  void shouldSetAnHttpOnlyStrictCookieThatIsSecureOnlyBehindTls() {
    String contractor = user("contractor");
    Response plain = signInResponse(contractor, null);
    Response tls = signInResponse(contractor, "https");

    assertThat(plain.getHeader("Set-Cookie"))
        .contains("rlhf-session=", "HttpOnly", "SameSite=Strict", "Path=/")
        .doesNotContainIgnoringCase("Secure;")
        .doesNotContain("Max-Age");
    assertThat(tls.getHeader("Set-Cookie")).contains("Secure");
  }

  private static Response signInResponse(String username, String forwardedProto) {
    var request =
        given()
            .contentType(ContentType.URLENC)
            .header("X-Requested-With", "test")
            .formParam("j_username", username)
            .formParam("j_password", LabelingApi.PASSWORD);
    if (forwardedProto != null) request.header("X-Forwarded-Proto", forwardedProto);
    Response response = request.post("/j_security_check");
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  @Test
  void shouldRevokeTheSessionAtSignOutSoAStolenCookieIsWorthless() {
    String cookie = signIn(user("contractor"), LabelingApi.PASSWORD);
    assertThat(me(cookie)).isEqualTo(200);

    withSession(cookie).post("/api/me/logout").then().statusCode(204);

    // The browser drops the cookie; a copy kept by a thief no longer signs anyone in.
    assertThat(me(cookie)).isEqualTo(401);
  }

  @Test
  void shouldEndEveryOtherSessionWhenThePasswordChanges() {
    String contractor = user("contractor");
    String here = signIn(contractor, LabelingApi.PASSWORD);
    String elsewhere = signIn(contractor, LabelingApi.PASSWORD);
    String newPassword = "a brand new passphrase";

    withSession(here)
        .body(Map.of("currentPassword", "not my password", "newPassword", newPassword))
        .post("/api/me/password")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("currentPassword"));
    withSession(here)
        .body(Map.of("currentPassword", LabelingApi.PASSWORD, "newPassword", "too short"))
        .post("/api/me/password")
        .then()
        .statusCode(422)
        .body("field", equalTo("newPassword"));
    assertThat(me(elsewhere)).as("refused changes end nothing").isEqualTo(200);

    withSession(here)
        .body(Map.of("currentPassword", LabelingApi.PASSWORD, "newPassword", newPassword))
        .post("/api/me/password")
        .then()
        .statusCode(204);

    assertThat(me(here)).isEqualTo(200);
    assertThat(me(elsewhere)).isEqualTo(401);
    given()
        .auth()
        .preemptive()
        .basic(contractor, LabelingApi.PASSWORD)
        .get("/api/me")
        .then()
        .statusCode(401);
    given()
        .auth()
        .preemptive()
        .basic(contractor, newPassword)
        .get("/api/me")
        .then()
        .statusCode(200);
  }

  @Test
  void shouldLetAnAdminResetAForgottenPasswordEndingEverySession() {
    String contractor = user("contractor");
    String cookie = signIn(contractor, LabelingApi.PASSWORD);

    String temporary =
        admin()
            .post("/api/admin/users/" + contractor + "/password-reset")
            .then()
            .statusCode(200)
            .body("username", equalTo(contractor))
            .extract()
            .path("temporaryPassword");

    assertThat(temporary).hasSizeGreaterThanOrEqualTo(PasswordPolicy.MIN_LENGTH);
    assertThat(me(cookie)).isEqualTo(401);
    assertThat(me(signIn(contractor, temporary))).isEqualTo(200);
    LabelingApi.as(contractor).get("/api/me").then().statusCode(401);
  }

  @Test
  void shouldEndASessionAfterItsAbsoluteLifetimeHoweverActiveAndAfterItsIdleTimeout()
      throws Exception {
    String activeAllDay = signIn(user("contractor"), LabelingApi.PASSWORD);
    String idle = signIn(user("contractor"), LabelingApi.PASSWORD);
    assertThat(me(activeAllDay)).isEqualTo(200);

    // Thirteen hours ago, with a request a moment ago: past the 12-hour absolute lifetime.
    age(activeAllDay, "created_at = now() - interval '13 hours', last_seen_at = now()");
    // Nine hours without a request: past the 8-hour idle timeout.
    age(idle, "created_at = now() - interval '9 hours', last_seen_at = now() - interval '9 hours'");

    assertThat(me(activeAllDay)).isEqualTo(401);
    assertThat(me(idle)).isEqualTo(401);
  }

  @Test
  void shouldHoldEveryNewPasswordToTwelveCharacters() {
    admin()
        .body(
            Map.of(
                "username", LabelingApi.unique("short"),
                "password", "elevenchars",
                "roles", List.of("contractor")))
        .post("/api/admin/users")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("field", equalTo("password"));
  }

  private void age(String cookie, String assignments) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "update user_session set " + assignments + " where token_hash = ?")) {
      update.setString(1, SecretTokens.digest(cookie));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
