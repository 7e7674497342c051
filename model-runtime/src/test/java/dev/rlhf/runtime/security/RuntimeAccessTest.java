package dev.rlhf.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.RuntimeKeyIssued;
import dev.rlhf.events.contract.RuntimeKeyRevoked;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Who may call the runtime. Every endpoint of its own OpenAPI document is called without a key,
 * with a wrong one, with the service key, and with a key an admin issued (then revoked), so an
 * endpoint added later is covered without a change here.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class RuntimeAccessTest {

  @ConfigProperty(name = "rlhf.checkpoints.directory")
  String checkpoints;

  /** Every operation the runtime serves, as "METHOD path". */
  @SuppressWarnings("unchecked")
  private static Map<String, String> endpoints() {
    Map<String, Object> paths =
        RestAssured.given()
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .path("paths");
    Map<String, String> endpoints = new TreeMap<>();
    paths.forEach(
        (path, operations) -> {
          for (String method : ((Map<String, Object>) operations).keySet()) {
            endpoints.put(method.toUpperCase(Locale.ROOT) + " " + path, path);
          }
        });
    assertThat(endpoints).containsKeys("GET /v1/models", "POST /v1/completions");
    return endpoints;
  }

  /**
   * Calls an endpoint with a body it refuses after the key check (400), so nothing is generated.
   */
  private static Response call(RequestSpecification request, String endpoint) {
    String method = endpoint.substring(0, endpoint.indexOf(' '));
    String path = endpoint.substring(endpoint.indexOf(' ') + 1);
    if (!method.equals("GET")) request = request.contentType(ContentType.JSON).body("{}");
    return request.request(method, path);
  }

  private static RequestSpecification withKey(String key) {
    return RestAssured.given().header("Authorization", "Bearer " + key);
  }

  @Test
  void shouldRefuseEveryEndpointWithoutAValidKeyAndServeItWithTheServiceKey() {
    RuntimeApi.awaitReady();
    for (String endpoint : endpoints().keySet()) {
      for (RequestSpecification stranger :
          new RequestSpecification[] {
            RestAssured.given(), withKey("not-a-key"), withKey(RuntimeApi.SERVICE_KEY + "x")
          }) {
        Response refused = call(stranger, endpoint);
        assertThat(refused.statusCode()).as(endpoint).isEqualTo(401);
        assertThat(refused.contentType()).as(endpoint).startsWith("application/problem+json");
        assertThat(refused.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.<String>path("error.code")).isEqualTo("invalid_api_key");
      }
      assertThat(call(RuntimeApi.given(), endpoint).statusCode()).as(endpoint).isIn(200, 400);
    }
    RestAssured.given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void shouldAcceptAKeyAnAdminIssuedUntilItIsRevoked() throws Exception {
    RuntimeApi.awaitReady();
    String key = "rlhf_mk_" + UUID.randomUUID();
    UUID keyId = UUID.randomUUID();
    String digest =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    try (EventPublisher publisher =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "labeling-test")) {
      publisher.publishAndWait(
          new RuntimeKeyIssued(UUID.randomUUID(), Instant.now(), keyId, "eval-job", digest));
      awaitStatus(key, 200);

      publisher.publishAndWait(new RuntimeKeyRevoked(UUID.randomUUID(), Instant.now(), keyId));
      awaitStatus(key, 401);
    }
  }

  @Test
  void shouldNameNoPathInTheListOfModels() {
    RuntimeApi.awaitReady();
    String models =
        RuntimeApi.given().get("/v1/models").then().statusCode(200).extract().asString();

    assertThat(models).doesNotContain(checkpoints, "checkpoint", "/tmp");
  }

  private static void awaitStatus(String key, int status) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (withKey(key).get("/v1/models").statusCode() != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the issued key did not get " + status + " in time");
      }
      RuntimeApi.pause(100);
    }
  }
}
