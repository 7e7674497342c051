package dev.rlhf.launcher.alignment;

import static dev.rlhf.labeling.actors.Researcher.as;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Training cycles through the HTTP API, as a researcher starts and watches them. */
final class Cycles {

  /** A finished stage: the version it produced and how long the cycle took. */
  record Produced(String version, Duration took, JsonPath cycle) {}

  private final String researcher;
  private final Duration patience;

  Cycles(String researcher, Duration patience) {
    this.researcher = researcher;
    this.patience = patience;
  }

  /**
   * Starts a one-stage cycle of the project's labels with the default hyper-parameters (plus any
   * {@code overrides}) and waits for its version.
   */
  Produced run(
      String project,
      String stage,
      String baseVersion,
      String rewardVersion,
      Map<String, String> overrides) {
    return run(project, stage, baseVersion, rewardVersion, overrides, Map.of());
  }

  /**
   * As {@link #run(String, String, String, String, Map)}, with further fields of the cycle request
   * ({@code snapshot}, {@code consensus}).
   */
  Produced run(
      String project,
      String stage,
      String baseVersion,
      String rewardVersion,
      Map<String, String> overrides,
      Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("projectId", project);
    body.put("stages", List.of(stage));
    body.put("baseVersion", baseVersion);
    if (rewardVersion != null) {
      body.put("rewardVersion", rewardVersion);
      // The benchmark measures PPO on every run, also where the reward gate would stop a
      // researcher; the PPO version's warnings then say that the gate was passed over.
      body.put("rewardGateOverride", "alignment benchmark: PPO is measured on every run");
    }
    if (!overrides.isEmpty()) body.put("hyperParameters", Map.of(stage, overrides));
    long start = System.nanoTime();
    String cycle =
        as(researcher)
            .body(body)
            .post("/api/cycles")
            .then()
            .log()
            .ifValidationFails()
            .statusCode(201)
            .extract()
            .path("id");
    long deadline = start + patience.toNanos();
    while (System.nanoTime() < deadline) {
      JsonPath view = as(researcher).get("/api/cycles/" + cycle).jsonPath();
      String state = view.getString("state");
      if ("SUCCEEDED".equals(state)) {
        return new Produced(
            view.getString("runs[0].producedVersion"),
            Duration.ofNanos(System.nanoTime() - start),
            view);
      }
      if ("FAILED".equals(state) || "CANCELLED".equals(state)) {
        throw new IllegalStateException(
            stage + " cycle " + cycle + " " + state + ": " + view.getString("failureReason"));
      }
      sleep();
    }
    throw new IllegalStateException(stage + " cycle " + cycle + " did not finish in " + patience);
  }

  /** A version's published metrics. */
  Map<String, Number> metrics(String version) {
    return view(version).getMap("metrics");
  }

  /** A version as the registry shows it: metrics, warnings, its evaluation against its parent. */
  JsonPath view(String version) {
    return as(researcher).get("/api/models/" + version).jsonPath();
  }

  private static void sleep() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
