package dev.rlhf.launcher;

import static dev.rlhf.labeling.actors.Researcher.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.labeling.actors.Researcher;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two packaged model-runtimes and two packaged policy-trainers, separate JVMs, on topics of {@value
 * #PARTITIONS} partitions behind one labeling-service (the first instance of {@link
 * SharedReplicas}, which {@code LabelingReplicasIT} uses after this class): the runtimes' consumer
 * group shares the completion requests (each answered once, by either), and the trainers' shares
 * the runs (each run taken by exactly one trainer, which has every label the run's snapshot names).
 */
@Order(4)
@ExtendWith(SharedStacks.class)
class ScaledWorkersIT {

  private static final int PARTITIONS = SharedReplicas.PARTITIONS;
  private static final int REQUESTS = 16;
  private static final Map<String, String> SFT =
      Map.of("steps", "4", "batch", "4", "warmupSteps", "1", "evalEvery", "2");
  private static final List<String> TRAINERS = List.of("trainer-a", "trainer-b");
  private static final Pattern ANSWERED =
      Pattern.compile(
          "(?m)^rlhf_runtime_kafka_requests_total\\{[^}]*outcome=\"answered\"[^}]*\\} ([0-9.E]+)");

  private static Replicas replicas;
  private static final List<ServiceProcess> runtimes = new ArrayList<>();
  private static final List<ServiceProcess> workers = new ArrayList<>();
  private static String researcher;

  @BeforeAll
  static void startTheWorkers() throws Exception {
    SharedReplicas.Running stack = SharedReplicas.get();
    replicas = stack.replicas();
    Path base = TinyBase.pretrain(replicas.checkpoints());
    for (String name : List.of("runtime-a", "runtime-b")) {
      ServiceProcess runtime =
          replicas.add(
              "model-runtime",
              name,
              Map.of(
                  "BASE_CHECKPOINT",
                  base.toString(),
                  "RUNTIME_STATE_DIR",
                  replicas.checkpoints().resolveSibling(name).toString()));
      runtimes.add(runtime);
      workers.add(runtime);
    }
    for (String name : TRAINERS) {
      workers.add(replicas.add("policy-trainer", name, Map.of("TRAINER_REPLICA", name)));
    }
    ServiceProcess labeling = stack.labeling().get(0);
    List<ServiceProcess> all = new ArrayList<>(workers);
    all.add(labeling);
    Replicas.awaitReady(all);
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = URI.create(labeling.url()).getPort();
    researcher = Researcher.account("researcher");
  }

  /**
   * The runtimes and trainers go; the instances of labeling-service stay for LabelingReplicasIT.
   */
  @AfterAll
  static void stopTheWorkers() {
    RestAssured.reset();
    workers.parallelStream().forEach(s -> s.stop(Duration.ofSeconds(10)));
  }

  @Test
  void twoRuntimesShareTheCompletionRequestsAndAnswerEachOnce() throws Exception {
    // Requested once both have joined: a request in flight during a rebalance may be answered
    // twice (at least once, by design), which would blur what this counts.
    owners("model-runtime", Topic.COMPLETION_REQUESTS);
    String project = Researcher.project(researcher, 1, 1);
    List<String> prompts =
        Researcher.prompts(
            researcher,
            project,
            "NONE",
            IntStream.range(0, REQUESTS)
                .mapToObj(i -> "What is " + i + " + 3?")
                .toArray(String[]::new));
    as(researcher)
        .body(
            Map.of(
                "promptIds",
                prompts,
                "k",
                2,
                "sampling",
                Map.of("temperature", 1.0, "topP", 1.0, "topK", 0, "maxTokens", 8)))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(202);

    Set<UUID> asked = new HashSet<>();
    prompts.forEach(p -> asked.add(UUID.fromString(p)));
    await("an answer to every request")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> answeredPrompts(asked).size() >= REQUESTS);
    List<UUID> requests =
        events(Topic.COMPLETION_REQUESTS).stream()
            .filter(e -> e instanceof CompletionsRequested r && asked.contains(r.promptId()))
            .map(e -> ((CompletionsRequested) e).requestId())
            .toList();
    assertThat(requests).hasSize(REQUESTS).doesNotHaveDuplicates();
    List<UUID> answers =
        events(Topic.COMPLETIONS).stream()
            .filter(e -> e instanceof CompletionsGenerated g && asked.contains(g.promptId()))
            .map(e -> ((CompletionsGenerated) e).requestId())
            .toList();
    assertThat(answers).containsExactlyInAnyOrderElementsOf(requests);
    List<Double> answeredBy = runtimes.stream().map(ScaledWorkersIT::answered).toList();
    assertThat(answeredBy).allSatisfy(n -> assertThat(n).isPositive());
    assertThat(answeredBy.stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(REQUESTS);
  }

  @Test
  void twoTrainersShareTheRunsAndEachRunIsTakenByExactlyOne() throws Exception {
    String project = Researcher.project(researcher, 1, 1);
    Researcher.prompts(
        researcher,
        project,
        "DEMONSTRATION",
        IntStream.range(0, 12).mapToObj(i -> "What is " + i + " + 4?").toArray(String[]::new));
    String contractor = Researcher.account("contractor");
    Crowd.start(List.of(RestAssured.baseURI + ":" + RestAssured.port), project, List.of(contractor))
        .awaitDone();

    // Cycles until their runs fall on partitions of both trainers (the run is the commands' key).
    Map<Integer, String> owners = owners("policy-trainer-commands", Topic.TRAINING_COMMANDS);
    List<String> cycles = new ArrayList<>();
    Set<String> owning = new HashSet<>();
    while (cycles.size() < 4 || owning.size() < 2) {
      assertThat(cycles).as("cycles started").hasSizeLessThan(16);
      String cycle = startCycle(project);
      cycles.add(cycle);
      owning.add(owners.get(partitionOf(runOf(cycle))));
    }

    Map<String, Set<String>> taken = new HashMap<>();
    for (String cycle : cycles) {
      await("cycle " + cycle + " to end")
          .atMost(Duration.ofMinutes(3))
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
      assertThat(versions).as("versions of cycle %s", cycle).hasSize(1);
    }
    for (String trainer : TRAINERS) taken.put(trainer, runsOf(trainer));
    Set<String> runs = cycles.stream().map(ScaledWorkersIT::runOf).collect(Collectors.toSet());
    assertThat(taken.values()).allSatisfy(r -> assertThat(r).isNotEmpty());
    Set<String> both = new HashSet<>(taken.get(TRAINERS.get(0)));
    both.retainAll(taken.get(TRAINERS.get(1)));
    assertThat(both).as("runs taken by both trainers").isEmpty();
    Set<String> all = new HashSet<>(taken.get(TRAINERS.get(0)));
    all.addAll(taken.get(TRAINERS.get(1)));
    assertThat(all).isEqualTo(runs);
  }

  // ---- helpers

  private static String startCycle(String project) {
    return as(researcher)
        .body(
            Map.of(
                "projectId",
                project,
                "stages",
                List.of("SFT"),
                "baseVersion",
                TinyBase.NAME,
                "hyperParameters",
                Map.of("SFT", SFT)))
        .post("/api/cycles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static String runOf(String cycle) {
    return as(researcher).get("/api/cycles/" + cycle).path("runs[0].runId");
  }

  /** The runs a trainer replica worked on: the run directories in its own state. */
  private static Set<String> runsOf(String trainer) throws IOException {
    Path runs = replicas.checkpoints().resolve("policy-trainer/replicas/" + trainer + "/runs");
    if (!Files.isDirectory(runs)) return Set.of();
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.map(d -> d.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** The partition the producers' default partitioner puts a key on. */
  private static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /**
   * Which member of a consumer group holds each partition of a topic, once two members share all of
   * them.
   */
  private static Map<Integer, String> owners(String group, Topic topic) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, replicas.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<Integer, String> owners = new HashMap<>();
      await("two members sharing " + topic.topicName() + " in group " + group)
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                owners.clear();
                var members =
                    admin
                        .describeConsumerGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group)
                        .members();
                for (MemberDescription member : members) {
                  for (TopicPartition tp : member.assignment().topicPartitions()) {
                    if (tp.topic().equals(topic.topicName())) {
                      owners.put(tp.partition(), member.consumerId());
                    }
                  }
                }
                return owners.size() == PARTITIONS && new HashSet<>(owners.values()).size() == 2;
              });
      return owners;
    }
  }

  private static Set<UUID> answeredPrompts(Set<UUID> asked) {
    Set<UUID> answered = new HashSet<>();
    for (PlatformEvent e : events(Topic.COMPLETIONS)) {
      if (e instanceof CompletionsGenerated g && asked.contains(g.promptId())) {
        answered.add(g.promptId());
      }
    }
    return answered;
  }

  private static List<PlatformEvent> events(Topic topic) {
    return TopicRecords.all(replicas.bootstrapServers(), topic);
  }

  /** Requests a runtime answered, from its own metrics. */
  private static double answered(ServiceProcess runtime) {
    try {
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(runtime.url() + "/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = ANSWERED.matcher(metrics);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("no metrics from " + runtime.url(), e);
    }
  }
}
