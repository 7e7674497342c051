package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged platform exactly as {@code ./run.sh} does on a newcomer's machine: embedded
 * PostgreSQL and Kafka, the four services as separate JVMs, an empty data directory and no base
 * checkpoint, so the runtime prepares the demo base on its loader thread before it serves. That
 * platform is the {@link SharedPlatform}: this class runs first, stops it, checks what the stop
 * leaves, and starts it again for the closed loop and the fault drills.
 */
@Order(1)
@ExtendWith(SharedStacks.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformSmokeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SEEDED_CHAT =
      """
      {"model": "demo-base", "messages": [{"role": "user", "content": "What is 2 + 3?"}],
       "temperature": 1.0, "seed": 11, "max_tokens": 24}""";

  @TempDir Path dataDirectory;

  /** First: it starts a platform of its own, before the shared one runs. */
  @Test
  @Order(1)
  void shouldNotCallThePlatformRunningWhenTheRuntimeCannotPrepareItsBaseNetwork() throws Exception {
    SharedPlatform.stopForOwnServices();
    Path notACheckpoint = java.nio.file.Files.createDirectories(dataDirectory.resolve("empty"));
    LaunchOptions options =
        TestLaunches.onFreePorts(
            dataDirectory.resolve("data"), "--base-checkpoint", notACheckpoint.toString());

    assertThatThrownBy(() -> Platform.start(options, message -> {}))
        .hasMessageContaining("model-runtime")
        .hasMessageContaining("could not be prepared")
        .hasMessageContaining("model-runtime.log");
    Platform.checkPortsFree(options); // everything it started is stopped again
  }

  @Test
  @Order(2)
  void shouldPrepareTheDemoBaseServeItAndKeepDataSessionsAndSeededSamplesAcrossARestart()
      throws Exception {
    List<Long> pids;
    List<String> workersBefore;
    String session;
    String sample;
    Platform platform = SharedPlatform.get().platform();
    for (String url : platform.serviceUrls().values()) {
      assertThat(get(url + "/q/health/ready").statusCode()).isEqualTo(200);
    }
    BaseNetworkStatus base = platform.runtimeBase().orElseThrow();
    assertThat(base.version()).isEqualTo("demo-base");
    assertThat(base.failed()).as(base.detail()).isFalse();
    // The runtime lists the base from the start: preparing (with its progress), or served.
    assertThat(runtimeGet(platform, "/v1/models").body()).contains("\"demo-base\"");
    sample = awaitServedCompletion(platform);
    assertThat(platform.runtimeBase().orElseThrow().preparing()).isFalse();
    // The trainers and the runtime announce themselves over the broker; labeling-service
    // consumes those events into PostgreSQL.
    workersBefore =
        awaitWorkers(platform, List.of("model-runtime", "reward-trainer", "policy-trainer"));
    pids = new ArrayList<>(platform.servicePids());
    session = signIn(platform.labelingUrl());

    LaunchOptions options = SharedPlatform.stop();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("service process %d is gone after stop", pid)
          .isFalse();
    }
    Platform.checkPortsFree(options); // every port, the database's and broker's too, is released

    // Started again on the same data; it stays up for the closed loop and the fault drills.
    Platform restarted = SharedPlatform.startAgain().platform();
    String workers = get(restarted.labelingUrl() + "/api/workers?includeOffline=true").body();
    // What the first run stored is still in the database after the restart.
    assertThat(workers).contains(workersBefore.get(0));
    // A browser signed in before the restart is still signed in after it.
    HttpResponse<String> me =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(restarted.labelingUrl() + "/api/me"))
                .header("Cookie", session)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).contains("\"admin\"");
    // The demo base made by the first start is reused, and the same seed samples the same text
    // in a new process.
    assertThat(awaitServedCompletion(restarted)).isEqualTo(sample);
  }

  /**
   * Asks for a seeded chat completion until the runtime serves it. While the demo base is being
   * prepared the answer is 503 with Retry-After, never 404 for the name the README gives.
   */
  private static String awaitServedCompletion(Platform platform) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(platform.runtimeUrl() + "/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + platform.runtimeServiceKey())
                  .POST(HttpRequest.BodyPublishers.ofString(SEEDED_CHAT))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body()).at("/choices/0/message/content").asText();
      }
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      Thread.sleep(250);
    }
    throw new AssertionError("the runtime served no completion within 6 minutes");
  }

  /** Signs in with the login form; returns the session cookie ("name=value"). */
  private static String signIn(String labelingUrl) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(labelingUrl + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Requested-With", "smoke-test")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=admin"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith("rlhf-session="))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie: " + response.statusCode()));
  }

  private static List<String> awaitWorkers(Platform platform, List<String> services)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = get(platform.labelingUrl() + "/api/workers").body();
      String seen = body;
      if (services.stream().allMatch(s -> seen.contains("\"service\":\"" + s + "\""))) {
        List<String> ids = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\"workerId\":\"([^\"]+)\"").matcher(body);
        while (matcher.find()) ids.add(matcher.group(1));
        return ids;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not every worker was listed by labeling-service: " + body);
  }

  /** The runtime's API, with the service key the platform's services call it with. */
  private static HttpResponse<String> runtimeGet(Platform platform, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(platform.runtimeUrl() + path))
            .header("Authorization", "Bearer " + platform.runtimeServiceKey())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + basic).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
