package dev.rlhf.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import dev.rlhf.labeling.actors.Researcher;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many contractors signed in with the login form at once, each on one thread, writing the
 * demonstrations of one project behind several labeling-service instances as a load balancer
 * without sticky sessions would spread them: every request goes to the next instance in turn, with
 * the session cookie made by whichever instance signed the contractor in. A request that gets no
 * answer is sent again to the next instance (submissions with the same {@code Idempotency-Key}). A
 * contractor stops when the project has no task left for them.
 */
final class Crowd {

  /** A task handed to a contractor by {@code POST /api/tasks/next}. */
  record Handout(UUID taskId, String contractor) {}

  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  /** Contractors signing in at the same moment. */
  private static final int SIGNING_IN = 12;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> instances;
  private final String project;
  private final List<Handout> handouts = new CopyOnWriteArrayList<>();
  private final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger unanswered = new AtomicInteger();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private Crowd(List<String> instances, String project) {
    this.instances = instances;
    this.project = project;
  }

  /**
   * Signs every contractor in (contractor i on instance i mod n, a few at a time, as people arrive
   * over a morning rather than in one millisecond: each sign-in is a bcrypt check), waits until all
   * are signed in, and then lets them all take and write tasks at once.
   */
  static Crowd start(List<String> instances, String project, List<String> contractors)
      throws InterruptedException {
    Crowd crowd = new Crowd(instances, project);
    CountDownLatch signedIn = new CountDownLatch(contractors.size());
    Semaphore arriving = new Semaphore(SIGNING_IN);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < contractors.size(); i++) {
      String contractor = contractors.get(i);
      int first = i;
      Thread thread =
          new Thread(
              () -> {
                try {
                  String cookie;
                  arriving.acquire();
                  try {
                    cookie = crowd.signIn(contractor, first);
                  } finally {
                    arriving.release();
                  }
                  signedIn.countDown();
                  go.await();
                  crowd.work(contractor, cookie, first + 1);
                } catch (Throwable e) {
                  crowd.failures.add(e);
                  signedIn.countDown();
                }
              },
              "crowd-" + i);
      crowd.threads.add(thread);
      thread.start();
    }
    signedIn.await();
    go.countDown();
    return crowd;
  }

  /** Waits until every contractor found nothing left to do; fails on a contractor's error. */
  Crowd awaitDone() throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    if (!failures.isEmpty()) throw new AssertionError("a contractor failed", failures.get(0));
    if (threads.stream().anyMatch(Thread::isAlive)) {
      throw new AssertionError("the crowd did not finish in " + PATIENCE);
    }
    return this;
  }

  List<Handout> handouts() {
    return List.copyOf(handouts);
  }

  Set<UUID> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /** Requests answered by no instance, or with a 5xx (sent again to the next instance). */
  int unanswered() {
    return unanswered.get();
  }

  /** Signs in, on the next instance again when one does not answer. */
  private String signIn(String contractor, int instance) throws Exception {
    String form =
        "j_username="
            + URLEncoder.encode(contractor, StandardCharsets.UTF_8)
            + "&j_password="
            + URLEncoder.encode(Researcher.PASSWORD, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      check(deadline);
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(url(instance++) + "/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Requested-With", "crowd")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException noAnswer) {
        unanswered.incrementAndGet();
        continue;
      }
      if (response.statusCode() >= 500) {
        unanswered.incrementAndGet();
        continue;
      }
      expect(response, 200, "sign-in of " + contractor);
      return SessionCookie.of(response);
    }
  }

  private void work(String contractor, String cookie, int instance) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    int next = instance;
    while (true) {
      JsonNode held = resumable(cookie, next++, deadline);
      JsonNode task = held != null ? held : nextTask(cookie, next++, deadline);
      if (task == null) return;
      if (held == null) {
        handouts.add(new Handout(UUID.fromString(task.get("taskId").asText()), contractor));
      }
      next = submit(task, cookie, next, deadline);
    }
  }

  /**
   * A task this contractor holds already: one whose lease was answered by an instance that died
   * before the answer arrived, which the workbench shows again.
   */
  private JsonNode resumable(String cookie, int instance, long deadline) throws Exception {
    HttpResponse<String> held = send(cookie, instance, "/api/assignments?state=ACTIVE", null, null);
    while (held == null)
      held = send(cookie, ++instance, "/api/assignments?state=ACTIVE", null, null);
    expect(held, 200, "active assignments");
    check(deadline);
    for (JsonNode assignment : JSON.readTree(held.body())) {
      if (assignment.get("projectId").asText().equals(project)) return assignment;
    }
    return null;
  }

  /** The next task, or null when the project has none left for this contractor. */
  private JsonNode nextTask(String cookie, int instance, long deadline) throws Exception {
    String path = "/api/tasks/next?project=" + project + "&type=DEMONSTRATION";
    HttpResponse<String> response = send(cookie, instance, path, "", null);
    while (response == null) {
      check(deadline);
      // The lease may have been made and its answer lost: the workbench would show it again.
      JsonNode held = resumable(cookie, ++instance, deadline);
      if (held != null) return held;
      response = send(cookie, ++instance, path, "", null);
    }
    if (response.statusCode() == 204) return null;
    expect(response, 200, "next task");
    return JSON.readTree(response.body());
  }

  /** Submits until an instance acknowledges it; returns the instance to ask next. */
  private int submit(JsonNode task, String cookie, int instance, long deadline) throws Exception {
    JsonNode turns = task.get("conversation");
    String body =
        JSON.writeValueAsString(
            Map.of(
                "response",
                "The answer to: " + turns.get(turns.size() - 1).get("text").asText(),
                "timeSpentMs",
                1000));
    String path = "/api/assignments/" + task.get("assignmentId").asText() + "/demonstration";
    String key = UUID.randomUUID().toString();
    while (true) {
      check(deadline);
      HttpResponse<String> response = send(cookie, instance++, path, body, key);
      if (response == null) continue;
      expect(response, 201, "submit");
      acknowledged.add(UUID.fromString(JSON.readTree(response.body()).get("labelId").asText()));
      return instance;
    }
  }

  /** One request (a POST when {@code body} is given); null when no answer came. */
  private HttpResponse<String> send(
      String cookie, int instance, String path, String body, String idempotencyKey)
      throws InterruptedException {
    String base = url(instance);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Cookie", cookie)
            .timeout(Duration.ofSeconds(60));
    if (body != null) {
      // The instance's own origin, as a browser on it sends with the session cookie.
      request
          .header("Origin", base)
          .header("X-Requested-With", "XMLHttpRequest")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() < 500) return response;
    } catch (IOException gone) {
      // the instance is down, or went down while answering
    }
    unanswered.incrementAndGet();
    Thread.sleep(100);
    return null;
  }

  private String url(int instance) {
    return instances.get(Math.floorMod(instance, instances.size()));
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new AssertionError(
          what + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static void check(long deadline) {
    if (System.nanoTime() > deadline) throw new AssertionError("ran out of time");
  }
}
