package dev.rlhf.launcher;

import static dev.rlhf.labeling.actors.Researcher.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.labeling.actors.Researcher;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator's bad day, on the packaged platform started as {@code ./run.sh} starts it (one start
 * for all drills: the {@link SharedPlatform}, which the smoke test and the closed loop use too; the
 * trainers' drills train from the tiny base): kill -9 of labeling-service, of PostgreSQL, of each
 * trainer mid-run and of the runtime mid-generation, and a broker outage longer than the
 * transaction timeout, each during a burst of labels from several contractors who retry with
 * idempotency keys. After each: every acknowledged label is stored, on Kafka and received by its
 * trainer, once; the supervisor started the killed part again; a killed trainer's cycle ends with
 * exactly one version. {@code -Ddrill.labels} and {@code -Ddrill.clients} scale the bursts
 * (bench/reliability runs them large).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
@ExtendWith(SharedStacks.class)
class FaultDrillsIT {

  private static final int LABELS = Integer.getInteger("drill.labels", 40);
  private static final int CLIENTS = Integer.getInteger("drill.clients", 4);
  private static final Duration STAGE = Duration.ofMinutes(4);

  private static final Map<String, String> SFT =
      Map.of("steps", "60", "batch", "8", "warmupSteps", "3", "evalEvery", "10");

  /** About 200 steps whatever the burst's size, so the trainer is killed mid-run. */
  private static final Map<String, String> REWARD =
      Map.of(
          "epochs",
          Integer.toString(Math.max(1, 400 / LABELS)),
          "promptsPerBatch",
          "2",
          "warmupSteps",
          "1",
          "progressEvery",
          "1");

  private static Platform platform;
  private static LaunchOptions options;
  private static List<String> supervision;
  private static final DrillTable table = new DrillTable();
  private static Pipeline pipeline;
  private static String researcher;
  private static final List<String> contractors = new ArrayList<>();

  /** Projects whose labels went through an earlier drill: the trainers' drills train on them. */
  private static String demonstrated;

  private static String ranked;

  /** The supervisor's lines before the latest fault: the platform may have run other tests. */
  private static int saidBeforeTheFault;

  @BeforeAll
  static void useTheSharedPlatform() {
    SharedPlatform.Running shared = SharedPlatform.get();
    platform = shared.platform();
    options = shared.options();
    supervision = shared.supervision();
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = options.labelingPort();
    researcher = Researcher.account("researcher");
    for (int i = 0; i < CLIENTS; i++) contractors.add(Researcher.account("contractor"));
    pipeline = new Pipeline(platform, researcher);
  }

  @AfterAll
  static void printTheTable() {
    System.out.println("\nFault drills, " + LABELS + " labels from " + CLIENTS + " clients each:");
    System.out.println(table.render());
    System.out.println("The supervisor said:");
    supervision.forEach(line -> System.out.println("  " + line));
    RestAssured.reset();
  }

  @Test
  @Order(1)
  void labelingServiceKilledMidBurst() throws Exception {
    String project = demonstrationProject(LABELS);
    long before = pipeline.received("DEMONSTRATION");
    LabelBurst burst = startBurst(project, "DEMONSTRATION");
    awaitAcks(burst, LABELS / 3);
    Instant fault = kill("labeling-service");
    burst.awaitDone();
    awaitSupervisor("labeling-service is back");
    record("kill -9 labeling-service mid-burst", "DEMONSTRATION", project, burst, before, fault);
  }

  @Test
  @Order(2)
  void postgresKilledMidBurst() throws Exception {
    String project = demonstrationProject(LABELS);
    long before = pipeline.received("DEMONSTRATION");
    int unreachable = logLines("labeling-service", "database unreachable").size();
    int reachable = logLines("labeling-service", "database reachable again").size();
    LabelBurst burst = startBurst(project, "DEMONSTRATION");
    awaitAcks(burst, LABELS / 3);
    Instant fault = kill("PostgreSQL");
    burst.awaitDone();
    awaitSupervisor("PostgreSQL is back");
    // While the database was away, requests were answered 503 with Retry-After, never 500.
    assertThat(burst.answers()).containsKey(503).doesNotContainKey(500);
    assertThat(burst.retryAfters()).containsExactly("5");
    // The operator reads one line when the database goes and one when it is back.
    await("labeling-service to log the database's return")
        .atMost(STAGE)
        .until(
            () -> logLines("labeling-service", "database reachable again").size() == reachable + 1);
    assertThat(logLines("labeling-service", "database unreachable")).hasSize(unreachable + 1);
    record("kill -9 PostgreSQL mid-burst", "DEMONSTRATION", project, burst, before, fault);
  }

  @Test
  @Order(3)
  void brokerAwayLongerThanTheTransactionTimeout() throws Exception {
    String project = demonstrationProject(LABELS);
    long before = pipeline.received("DEMONSTRATION");
    platform.stopBroker();
    Instant outage = Instant.now();
    LabelBurst burst;
    try {
      // Labels are still acknowledged: they wait in the outbox.
      burst = startBurst(project, "DEMONSTRATION").awaitDone();
      await("readiness to show the broker away")
          .atMost(Duration.ofSeconds(30))
          .until(() -> given().get("/q/health/ready").asString().contains("unreachable"));
      Duration left =
          SharedPlatform.TRANSACTION_TIMEOUT
              .plusSeconds(5)
              .minus(Duration.between(outage, Instant.now()));
      if (!left.isNegative()) Thread.sleep(left.toMillis());
    } finally {
      platform.startBroker();
    }
    Instant back = Instant.now();
    demonstrated = project;
    record(
        "broker away "
            + SharedPlatform.TRANSACTION_TIMEOUT.plusSeconds(5).toSeconds()
            + "+ s (tx timeout "
            + SharedPlatform.TRANSACTION_TIMEOUT.toSeconds()
            + " s)",
        "DEMONSTRATION",
        project,
        burst,
        before,
        back);
    await("labeling-service ready again")
        .atMost(STAGE)
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  @Order(4)
  void policyTrainerKilledMidRun() throws Exception {
    String cycle = startCycle(demonstrated, "SFT", Map.of("SFT", SFT));
    awaitProgress(cycle);
    String project = demonstrationProject(LABELS);
    long before = pipeline.received("DEMONSTRATION");
    LabelBurst burst = startBurst(project, "DEMONSTRATION");
    Instant fault = kill("policy-trainer");
    burst.awaitDone();
    String version = awaitOneVersion(cycle);
    awaitSupervisor("policy-trainer is back");
    record("kill -9 policy-trainer mid-SFT", "DEMONSTRATION", project, burst, before, fault);
    assertThat(version).isEqualTo("policy-sft-" + runOf(cycle));
  }

  @Test
  @Order(5)
  void runtimeKilledMidGeneration() throws Exception {
    String project = Researcher.project(researcher, 1, 1);
    List<String> prompts = Researcher.prompts(researcher, project, "NONE", questions(LABELS));
    long before = pipeline.received("RANKING");
    requestCompletions(project, prompts);
    LabelBurst burst = startBurst(project, "RANKING");
    awaitAcks(burst, 1); // the runtime is generating
    Instant fault = kill("model-runtime");
    burst.awaitDone();
    awaitSupervisor("model-runtime is back");
    // Every request was answered once: one ranking task per prompt, none left over.
    assertThat(promptsOfLabels(project)).containsExactlyInAnyOrderElementsOf(prompts);
    assertThat(
            Researcher.as(contractors.get(0))
                .queryParam("project", project)
                .post("/api/tasks/next")
                .statusCode())
        .isEqualTo(204);
    ranked = project;
    record("kill -9 model-runtime mid-generation", "RANKING", project, burst, before, fault);
  }

  @Test
  @Order(6)
  void rewardTrainerKilledMidRun() throws Exception {
    String cycle = startCycle(ranked, "REWARD", Map.of("REWARD", REWARD));
    awaitProgress(cycle);
    String project = Researcher.project(researcher, 1, 1);
    requestCompletions(project, Researcher.prompts(researcher, project, "NONE", questions(LABELS)));
    long before = pipeline.received("RANKING");
    LabelBurst burst = startBurst(project, "RANKING");
    Instant fault = kill("reward-trainer");
    burst.awaitDone();
    String version = awaitOneVersion(cycle);
    awaitSupervisor("reward-trainer is back");
    record("kill -9 reward-trainer mid-RM", "RANKING", project, burst, before, fault);
    assertThat(version).isEqualTo("reward-" + runOf(cycle));
  }

  @Test
  @Order(7)
  void everyPartIsAliveAndNothingIsLeftInTheOutbox() {
    HttpClient http = HttpClient.newHttpClient();
    for (String url : platform.serviceUrls().values()) {
      HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/q/health")).build();
      await(url + " live and ready")
          .atMost(STAGE)
          .ignoreExceptions()
          .until(
              () -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
    assertThat(pipeline.unsent()).isZero();
    assertThat(pipeline.parked()).isZero();
  }

  // ---- the drills' steps

  private static String demonstrationProject(int prompts) {
    String project = Researcher.project(researcher, 1, 1);
    Researcher.prompts(researcher, project, "DEMONSTRATION", questions(prompts));
    return project;
  }

  /** Prompts no earlier drill used, so each drill counts only its own labels. */
  private static String[] questions(int count) {
    String drill = UUID.randomUUID().toString().substring(0, 6);
    return IntStream.range(0, count)
        .mapToObj(i -> "What is " + i + " + 1? (" + drill + ")")
        .toArray(String[]::new);
  }

  private static LabelBurst startBurst(String project, String type) {
    return LabelBurst.start(
        RestAssured.baseURI + ":" + RestAssured.port, project, type, LABELS, contractors);
  }

  private static void awaitAcks(LabelBurst burst, int count) {
    await(count + " labels acknowledged")
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> burst.acks().size() >= count);
  }

  private static Instant kill(String part) {
    ProcessHandle process =
        platform.process(part).orElseThrow(() -> new AssertionError(part + " is not running"));
    saidBeforeTheFault = supervision.size();
    process.destroyForcibly();
    return Instant.now();
  }

  private static void awaitSupervisor(String line) {
    await("the supervisor to say: " + line)
        .atMost(STAGE)
        .until(
            () ->
                List.copyOf(supervision).stream()
                    .skip(saidBeforeTheFault)
                    .anyMatch(s -> s.contains(line)));
  }

  private static void awaitReceived(String type, long count) {
    await(count + " " + type + " labels in the trainer")
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> pipeline.received(type) >= count);
  }

  private static void requestCompletions(String project, List<String> prompts) {
    as(researcher)
        .body(
            Map.of(
                "promptIds",
                prompts,
                "k",
                2,
                "sampling",
                Map.of("temperature", 1.0, "topP", 1.0, "topK", 0, "maxTokens", 16)))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(202);
  }

  /** A cycle of one stage on the tiny base and a project's labels. */
  private static String startCycle(
      String project, String stage, Map<String, Map<String, String>> hyperParameters) {
    return as(researcher)
        .body(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of(stage),
                "baseVersion",
                TinyBase.NAME,
                "hyperParameters",
                hyperParameters))
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static void awaitProgress(String cycle) {
    await("progress of cycle " + cycle)
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                !as(researcher)
                    .get("/api/cycles/" + cycle + "/progress")
                    .jsonPath()
                    .getList("$")
                    .isEmpty());
  }

  private static String runOf(String cycle) {
    return as(researcher).get("/api/cycles/" + cycle).path("runs[0].runId");
  }

  /**
   * Waits for the cycle to end; it must have succeeded with exactly one version in the registry.
   */
  private static String awaitOneVersion(String cycle) {
    await("cycle " + cycle + " to end")
        .atMost(STAGE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !"RUNNING".equals(as(researcher).get("/api/cycles/" + cycle).path("state")));
    var done = as(researcher).get("/api/cycles/" + cycle).jsonPath();
    assertThat(done.getString("state"))
        .as("cycle %s: %s", cycle, done.getString("failureReason"))
        .isEqualTo("SUCCEEDED");
    List<String> versions =
        as(researcher)
            .get("/api/models")
            .jsonPath()
            .getList("findAll { it.cycleId == '" + cycle + "' }.version");
    assertThat(versions).hasSize(1);
    return versions.get(0);
  }

  private static List<String> logLines(String service, String containing) throws IOException {
    return Files.readAllLines(options.logDirectory().resolve(service + ".log")).stream()
        .filter(line -> line.contains(containing))
        .toList();
  }

  private static List<String> promptsOfLabels(String project) {
    return as(researcher)
        .queryParam("project", project)
        .queryParam("limit", 1000)
        .get("/api/labels")
        .jsonPath()
        .getList("promptId");
  }

  /**
   * Waits until the acknowledged labels are through the pipeline, checks each stage has each label
   * once, and adds the drill's row; recovery runs from {@code fault} to that moment.
   */
  private static void record(
      String drill, String type, String project, LabelBurst burst, long before, Instant fault) {
    Set<UUID> acknowledged = burst.acknowledged();
    awaitReceived(type, before + acknowledged.size());
    await("every label of " + project + " on Kafka")
        .atMost(STAGE)
        .until(() -> new HashSet<>(pipeline.onKafka(type, project)).containsAll(acknowledged));
    Duration recovery = Duration.between(fault, Instant.now());
    Set<UUID> stored = pipeline.stored(project);
    List<UUID> onKafka = pipeline.onKafka(type, project);
    Set<UUID> published = new HashSet<>(onKafka);
    long received = pipeline.received(type) - before;
    Set<UUID> missing = new HashSet<>(acknowledged);
    missing.removeIf(id -> stored.contains(id) && published.contains(id));
    int lost = missing.size() + (int) Math.max(0, acknowledged.size() - received);
    table.add(
        new DrillTable.Row(
            drill,
            acknowledged.size(),
            stored.size(),
            published.size(),
            received,
            onKafka.size() - published.size(),
            lost,
            recovery,
            burst.answers()));
    assertThat(stored).as("stored").isEqualTo(acknowledged);
    assertThat(published).as("published").isEqualTo(acknowledged);
    assertThat(received).as("received by the trainer").isEqualTo(acknowledged.size());
    assertThat(pipeline.unsent()).as("unsent outbox rows").isZero();
  }
}
