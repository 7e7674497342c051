package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged platform exactly as {@code ./run.sh} does: embedded PostgreSQL and Kafka, and
 * the four services as separate JVMs.
 */
class PlatformSmokeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDirectory;

  @Test
  void shouldStartEveryServiceHealthyPassEventsBetweenThemAndKeepDataAndSessionsAcrossARestart()
      throws Exception {
    LaunchOptions options = TestLaunches.onFreePorts(dataDirectory);
    List<Long> pids;
    List<String> workersBefore;
    String session;
    try (Platform platform = Platform.start(options, message -> {})) {
      for (String url : platform.serviceUrls().values()) {
        assertThat(get(url + "/q/health/ready").statusCode()).isEqualTo(200);
      }
      // The trainers and the runtime announce themselves over the broker; labeling-service
      // consumes those events into PostgreSQL.
      workersBefore =
          awaitWorkers(platform, List.of("model-runtime", "reward-trainer", "policy-trainer"));
      pids = new ArrayList<>(platform.servicePids());
      session = signIn(platform.labelingUrl());
    }

    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("service process %d is gone after stop", pid)
          .isFalse();
    }
    Platform.checkPortsFree(options); // every port, the database's and broker's too, is released

    try (Platform restarted = Platform.start(options, message -> {})) {
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
    }
  }

  /** Signs in with the login form; returns the session cookie ("name=value"). */
  private static String signIn(String labelingUrl) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(labelingUrl + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=admin"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith("quarkus-credential="))
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

  private static HttpResponse<String> get(String url) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + basic).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
