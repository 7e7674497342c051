package dev.rlhf.labeling.security;

import static dev.rlhf.labeling.LabelingApi.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.LabelingApi;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Password guessing by form and basic auth. Each test guesses from its own client address (the test
 * profile trusts X-Forwarded-For, as a deployment behind a proxy does), so the throttling of one
 * address does not reach the other tests.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class LoginThrottleTest {

  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  /** An address no other request of the run comes from. */
  private static String newAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
  }

  private static Response formSignIn(String address, String username, String password) {
    return given()
        .header("X-Forwarded-For", address)
        .header("X-Requested-With", "test")
        .contentType(ContentType.URLENC)
        .formParam("j_username", username)
        .formParam("j_password", password)
        .post("/j_security_check");
  }

  private static Response basic(String address, String username, String password) {
    return given()
        .header("X-Forwarded-For", address)
        .auth()
        .preemptive()
        .basic(username, password)
        .get("/api/me");
  }

  @Test
  void shouldMakeGuessesAtOneAccountWaitLongerAndLongerByFormAndBasicAuth() throws Exception {
    String contractor = user("contractor");
    String address = newAddress();
    for (int i = 0; i < 5; i++) {
      assertThat(formSignIn(address, contractor, "guess " + i).statusCode()).isEqualTo(401);
    }

    // Even the right password waits now, from anywhere: the account is under attack.
    Response waiting = formSignIn(newAddress(), contractor, LabelingApi.PASSWORD);
    assertThat(waiting.statusCode()).isEqualTo(429);
    assertThat(waiting.contentType()).startsWith("application/problem+json");
    assertThat(Long.parseLong(waiting.getHeader("Retry-After"))).isBetween(1L, 2L);
    Response basicWaiting = basic(newAddress(), contractor, LabelingApi.PASSWORD);
    assertThat(basicWaiting.statusCode()).isEqualTo(429);
    assertThat(basicWaiting.getHeader("Retry-After")).isNotNull();

    Thread.sleep(1000L * Long.parseLong(waiting.getHeader("Retry-After")) + 200);
    assertThat(formSignIn(address, contractor, "guess 5").statusCode()).isEqualTo(401);
    Response longer = formSignIn(address, contractor, "guess 6");
    assertThat(longer.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(longer.getHeader("Retry-After"))).isEqualTo(2L);

    Thread.sleep(2200);
    assertThat(formSignIn(address, contractor, LabelingApi.PASSWORD).statusCode()).isEqualTo(200);
    assertThat(basic(address, contractor, LabelingApi.PASSWORD).statusCode()).isEqualTo(200);
  }

  @Inject SecuritySettings settings;

  @Test
  void shouldMakeOneAddressGuessingManyUsernamesWait() {
    String contractor = user("contractor");
    String guesser = newAddress();
    for (int i = 0; i < settings.login().addressFailures(); i++) {
      String someone = "nobody-" + UUID.randomUUID();
      assertThat(basic(guesser, someone, "password " + i).statusCode()).isEqualTo(401);
    }

    assertThat(formSignIn(guesser, contractor, LabelingApi.PASSWORD).statusCode()).isEqualTo(429);
    assertThat(basic(guesser, contractor, LabelingApi.PASSWORD).statusCode()).isEqualTo(429);
    assertThat(formSignIn(newAddress(), contractor, LabelingApi.PASSWORD).statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldTakeAsLongForAnUnknownUsernameAsForAWrongPassword() {
    String contractor = user("contractor");
    List<Long> known = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    // Four of each, below the account limit; alternating, so load on the machine hits both alike.
    for (int i = 0; i < 4; i++) {
      known.add(timed(newAddress(), contractor));
      unknown.add(timed(newAddress(), "nobody-" + UUID.randomUUID()));
    }

    // Both pay a bcrypt check (tens of milliseconds); without it an unknown name answers at once.
    assertThat(median(unknown)).isGreaterThan(median(known) / 3);
  }

  private static long timed(String address, String username) {
    long start = System.nanoTime();
    assertThat(formSignIn(address, username, "wrong password").statusCode()).isEqualTo(401);
    return System.nanoTime() - start;
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
