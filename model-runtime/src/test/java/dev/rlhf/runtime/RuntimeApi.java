package dev.rlhf.runtime;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;

/** Small helpers the runtime tests share: calling it with a key, readiness, posting JSON. */
public final class RuntimeApi {

  /** The service key of the test profile. */
  public static final String SERVICE_KEY = "test-service-key-not-for-production-001";

  private RuntimeApi() {}

  /** A request with the service key, as the platform's own services call the runtime. */
  public static RequestSpecification given() {
    return RestAssured.given().header("Authorization", "Bearer " + SERVICE_KEY);
  }

  /** Waits until readiness is UP (versions replayed) and a network serves the default. */
  public static void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (given().get("/q/health/ready").statusCode() == 200 && defaultIsLoaded()) {
        return;
      }
      pause(200);
    }
    throw new AssertionError("model-runtime did not become ready within 60 s");
  }

  private static boolean defaultIsLoaded() {
    Boolean loaded =
        given()
            .get("/v1/models")
            .then()
            .extract()
            .jsonPath()
            .get("data.find { it.default == true }.loaded");
    return Boolean.TRUE.equals(loaded);
  }

  public static Response post(String path, Map<String, ?> body) {
    return given().contentType(ContentType.JSON).body(body).post(path);
  }

  /** The version {@code /v1/models} marks as the default. */
  public static String defaultVersion() {
    return given()
        .get("/v1/models")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("data.find { it.default == true }.id");
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
