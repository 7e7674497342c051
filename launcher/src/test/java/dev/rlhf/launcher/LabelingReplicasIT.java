package dev.rlhf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.labeling.actors.Researcher;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three packaged labeling-service instances, separate JVMs started at once, against one PostgreSQL
 * and one broker, as the Kubernetes deployment runs them behind its Service (the {@link
 * SharedReplicas} stack, which {@code ScaledWorkersIT} uses before this class): a session made on
 * one works on the others; 200 contractors spread over the instances get no task twice while one
 * instance is killed; exactly one instance relays the outbox and every label is published once; a
 * cycle's progress streams from an instance that did not start it; when the relaying instance dies
 * another takes over. {@code -Dreplicas.contractors} changes the crowd's size.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(5)
@ExtendWith(SharedStacks.class)
class LabelingReplicasIT {

  private static final int CONTRACTORS = Integer.getInteger("replicas.contractors", 200);
  private static final int PROMPTS = CONTRACTORS * 3 / 2;
  private static final Pattern PUBLISHED =
      Pattern.compile("(?m)^rlhf_outbox_published_total(?:\\{[^}]*\\})? ([0-9.E]+)");

  private static Replicas replicas;
  private static final List<ServiceProcess> instances = new ArrayList<>();
  private static final List<String> urls = new ArrayList<>();
  private static final Set<Integer> alive = new HashSet<>(Set.of(0, 1, 2));
  private static final HttpClient http = HttpClient.newHttpClient();
  private static String researcher;
  private static String project;

  @BeforeAll
  static void startThreeInstances() throws Exception {
    SharedReplicas.Running stack = SharedReplicas.get();
    replicas = stack.replicas();
    instances.addAll(stack.labeling());
    Replicas.awaitReady(instances);
    instances.forEach(i -> urls.add(i.url()));
    useInstance(0);
    researcher = Researcher.account("researcher");
  }

  /** Its instances are killed here: nothing can use the stack after this class. */
  @AfterAll
  static void stopEverything() {
    RestAssured.reset();
    SharedReplicas.stopForOwnServices();
  }

  @Test
  @Order(1)
  void aSessionMadeOnOneInstanceWorksOnTheOthersAndEndsOnAllOfThem() throws Exception {
    String contractor = Researcher.account("contractor");
    String cookie = signIn(contractor, 0);
    for (int i : List.of(1, 2)) {
      HttpResponse<String> me = get(i, "/api/me", cookie);
      assertThat(me.statusCode()).as("instance %d", i).isEqualTo(200);
      assertThat(me.body()).contains("\"" + contractor + "\"");
    }
    HttpResponse<String> logout =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(1) + "/api/me/logout"))
                .header("Cookie", cookie)
                .header("Origin", urls.get(1))
                .header("X-Requested-With", "XMLHttpRequest")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).isEqualTo(204);
    for (int i : List.of(0, 2)) {
      assertThat(get(i, "/api/me", cookie).statusCode()).as("instance %d", i).isEqualTo(401);
    }
  }

  @Test
  @Order(2)
  void twoHundredContractorsOverThreeInstancesGetNoTaskTwiceWhileOneInstanceIsKilled()
      throws Exception {
    project = Researcher.project(researcher, 1, 1);
    String run = UUID.randomUUID().toString().substring(0, 6);
    Researcher.prompts(
        researcher,
        project,
        "DEMONSTRATION",
        IntStream.range(0, PROMPTS)
            .mapToObj(i -> "What is " + i + " + 2? (" + run + ")")
            .toArray(String[]::new));
    List<String> contractors = accounts(CONTRACTORS);

    Crowd crowd = Crowd.start(urls, project, contractors);
    await("a third of the labels acknowledged")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> crowd.acknowledged().size() >= PROMPTS / 3);
    assertThat(relayLocks()).as("relay locks held").isEqualTo(1);
    int relay = relayingInstance();
    // Not the relay: its in-flight round would be published again by the next one (at least
    // once, by design); the relay's own death is the last test.
    int victim = relay == 2 ? 1 : 2;
    instances.get(victim).kill();
    alive.remove(victim);
    crowd.awaitDone();

    // No task was handed to two contractors, and the database holds no task leased twice.
    Map<UUID, List<String>> byTask =
        crowd.handouts().stream()
            .collect(
                Collectors.groupingBy(
                    Crowd.Handout::taskId,
                    Collectors.mapping(Crowd.Handout::contractor, Collectors.toList())));
    assertThat(byTask.values()).allSatisfy(holders -> assertThat(holders).hasSize(1));
    assertThat(doubleAssignments()).isZero();
    // Every task done once, and every acknowledged label stored.
    Set<UUID> acknowledged = crowd.acknowledged();
    assertThat(acknowledged).hasSize(PROMPTS);
    assertThat(Pipeline.stored(researcher, project)).isEqualTo(acknowledged);
    // Published once each, by one relay.
    await("every label on Kafka")
        .atMost(Duration.ofMinutes(1))
        .until(() -> new HashSet<>(published(project)).containsAll(acknowledged));
    List<UUID> published = published(project);
    assertThat(published).hasSize(PROMPTS).doesNotHaveDuplicates();
    for (int i : alive) {
      if (i == relay) assertThat(publishedBy(i)).as("published by the relay").isPositive();
      else assertThat(publishedBy(i)).as("published by instance %d", i).isZero();
    }
    assertThat(relayLocks()).as("relay locks held").isEqualTo(1);
    System.out.printf(
        "%d contractors, %d labels over 3 instances (one killed): %d requests sent again (no answer or 5xx)%n",
        CONTRACTORS, acknowledged.size(), crowd.unanswered());
  }

  @Test
  @Order(3)
  void aCycleStreamsItsProgressFromAnInstanceThatDidNotStartIt() throws Exception {
    int starter = alive.stream().min(Integer::compare).orElseThrow();
    int streamer = alive.stream().max(Integer::compare).orElseThrow();
    useInstance(starter);
    var cycle =
        Researcher.as(researcher)
            .body(
                Map.of("projectId", project, "stages", List.of("SFT"), "baseVersion", "tiny-base"))
            .post("/api/cycles")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    UUID cycleId = UUID.fromString(cycle.getString("id"));
    UUID runId = UUID.fromString(cycle.getString("runs[0].runId"));

    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest events =
        HttpRequest.newBuilder(
                URI.create(urls.get(streamer) + "/api/cycles/" + cycleId + "/events"))
            .header("Authorization", basic(researcher))
            .header("Accept", "text/event-stream")
            .build();
    var stream =
        http.sendAsync(events, HttpResponse.BodyHandlers.ofLines())
            .thenAccept(response -> response.body().forEach(lines::add));
    await("the stream to open")
        .atMost(Duration.ofSeconds(30))
        .until(() -> lines.contains("event:cycle"));

    // The trainer's side, through the broker: three steps, then the run fails.
    try (EventPublisher trainer = new EventPublisher(replicas.bootstrapServers(), "test-trainer")) {
      for (int step = 1; step <= 3; step++) {
        trainer.publishAndWait(
            new TrainingProgressReported(
                UUID.randomUUID(),
                Instant.now(),
                runId,
                cycleId,
                TrainingStage.SFT,
                step,
                3,
                Map.of("loss", 2.0 / step),
                List.of()));
      }
      trainer.publishAndWait(
          new TrainingRunFailed(
              UUID.randomUUID(), Instant.now(), runId, cycleId, TrainingStage.SFT, "stopped"));
    }
    stream.get(60, java.util.concurrent.TimeUnit.SECONDS);
    List<String> steps =
        lines.stream()
            .filter(l -> l.startsWith("data:") && l.contains("\"step\""))
            .map(l -> l.replaceAll(".*\"step\":([0-9]+).*", "$1"))
            .toList();
    assertThat(steps).containsExactly("1", "2", "3");
    assertThat(String.join("\n", lines)).contains("event:end\ndata:\"FAILED\"");
  }

  @Test
  @Order(4)
  void whenTheRelayingInstanceDiesAnotherRelaysAndNothingIsPublishedTwice() throws Exception {
    int relay = relayingInstance();
    double before = alive.stream().filter(i -> i != relay).mapToDouble(i -> publishedBy(i)).sum();
    instances.get(relay).kill();
    alive.remove(relay);
    int survivor = alive.iterator().next();
    useInstance(survivor);

    String late = Researcher.project(researcher, 1, 1);
    Researcher.prompts(researcher, late, "DEMONSTRATION", "What is 40 + 2?");
    Crowd crowd = Crowd.start(List.of(urls.get(survivor)), late, accounts(1)).awaitDone();
    Set<UUID> acknowledged = crowd.acknowledged();
    assertThat(acknowledged).hasSize(1);
    await("the label on Kafka")
        .atMost(Duration.ofMinutes(1))
        .until(() -> new HashSet<>(published(late)).containsAll(acknowledged));
    assertThat(published(late)).hasSize(1);
    // Everything before is still there once: the dying relay had finished its rounds.
    assertThat(published(project)).hasSize(PROMPTS).doesNotHaveDuplicates();
    double after = alive.stream().mapToDouble(i -> publishedBy(i)).sum();
    assertThat(after).as("published by the survivors").isGreaterThan(before);
    assertThat(relayLocks()).as("relay locks held").isEqualTo(1);
  }

  // ---- helpers

  private static void useInstance(int i) {
    RestAssured.baseURI = "http://127.0.0.1";
    RestAssured.port = URI.create(urls.get(i)).getPort();
  }

  /**
   * Contractor accounts: the first made by the admin through the API, the others written straight
   * into the database with its password hash (a bcrypt hash per account through the API took about
   * 20 s of this test; each contractor still signs in through the API).
   */
  private static List<String> accounts(int count) throws Exception {
    String first = account(alive.iterator().next());
    List<String> names = new ArrayList<>(List.of(first));
    var db = replicas.database();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        var insert =
            connection.prepareStatement(
                "insert into app_user (id, username, password_hash, roles, active, created_at)"
                    + " select ?, ?, password_hash, roles, true, now() from app_user"
                    + " where username = ?")) {
      for (int n = 1; n < count; n++) {
        String username = "contractor-" + UUID.randomUUID().toString().substring(0, 8);
        insert.setObject(1, UUID.randomUUID());
        insert.setString(2, username);
        insert.setString(3, first);
        insert.addBatch();
        names.add(username);
      }
      insert.executeBatch();
    }
    return names;
  }

  private static String account(int instance) throws Exception {
    String username = "contractor-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(instance) + "/api/admin/users"))
                .header("Authorization", basic("admin", "admin"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Researcher.json(
                            Map.of(
                                "username",
                                username,
                                "password",
                                Researcher.PASSWORD,
                                "roles",
                                List.of("contractor")))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return username;
  }

  private static String signIn(String username, int instance) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(instance) + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Requested-With", "test")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "j_username=" + username + "&j_password=correct+horse+battery"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return SessionCookie.of(response);
  }

  private static HttpResponse<String> get(int instance, String path, String cookie)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(urls.get(instance) + path))
            .header("Cookie", cookie)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String username) {
    return basic(username, Researcher.PASSWORD);
  }

  private static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Outbox rows each instance's relay has published, from its own metrics. */
  private static double publishedBy(int instance) {
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(urls.get(instance) + "/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = PUBLISHED.matcher(metrics);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (Exception e) {
      throw new AssertionError("no metrics from instance " + instance, e);
    }
  }

  /** The one instance whose relay has published anything. */
  private static int relayingInstance() {
    List<Integer> relays = alive.stream().filter(i -> publishedBy(i) > 0).toList();
    assertThat(relays).as("instances that published").hasSize(1);
    return relays.get(0);
  }

  /**
   * Holders of the outbox relay's advisory lock (OutboxRelay.RELAY_LOCK, 0x524c_48464f42: a bigint
   * key shows as its high and low halves).
   */
  private static int relayLocks() throws Exception {
    return count(
        "select count(*) from pg_locks where locktype = 'advisory' and granted"
            + " and classid = 21068 and objid = 1212567362 and objsubid = 1");
  }

  /** Tasks of the crowd's project leased to more contractors than the project's overlap (1). */
  private static int doubleAssignments() throws Exception {
    return count(
        "select count(*) from (select a.task_id from assignment a join task t on t.id = a.task_id"
            + " where t.project_id = '"
            + project
            + "' and a.state in ('ACTIVE', 'SUBMITTED') group by a.task_id"
            + " having count(*) > 1) twice");
  }

  private static int count(String sql) throws Exception {
    var db = replicas.database();
    try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        var statement = connection.createStatement();
        var result = statement.executeQuery(sql)) {
      result.next();
      return result.getInt(1);
    }
  }

  /** Every demonstration of a project on its topic, copies included. */
  private static List<UUID> published(String project) {
    UUID id = UUID.fromString(project);
    List<UUID> labels = new ArrayList<>();
    for (PlatformEvent event :
        TopicRecords.all(replicas.bootstrapServers(), Topic.DEMONSTRATIONS)) {
      if (event instanceof DemonstrationSubmitted d && id.equals(d.projectId())) {
        labels.add(d.demonstrationId());
      }
    }
    return labels;
  }
}
