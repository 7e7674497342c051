package dev.rlhf.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.EventCodec;
import dev.rlhf.labeling.actors.Researcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Labels written by several contractors at once, each as a careful client does over HTTP: take the
 * next task, submit with an {@code Idempotency-Key}, and when the answer does not come (connection
 * refused, a timeout, a 5xx) submit again with the same key, after {@code Retry-After} if given,
 * until it is acknowledged. A label counts as acknowledged when a 2xx answer names it.
 */
final class LabelBurst {

  /** One acknowledged label. */
  record Ack(UUID labelId, Instant at) {}

  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;
  private final String project;
  private final String type;
  private final AtomicInteger left;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final Set<String> retryAfters = ConcurrentHashMap.newKeySet();
  private final List<Thread> clients = new ArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  private LabelBurst(String baseUrl, String project, String type, int labels) {
    this.baseUrl = baseUrl;
    this.project = project;
    this.type = type;
    this.left = new AtomicInteger(labels);
  }

  /**
   * Starts {@code labels} labels of {@code type} (DEMONSTRATION or RANKING) on {@code project},
   * shared by one client per contractor.
   */
  static LabelBurst start(
      String baseUrl, String project, String type, int labels, List<String> contractors) {
    LabelBurst burst = new LabelBurst(baseUrl, project, type, labels);
    for (String contractor : contractors) {
      Thread client = new Thread(() -> burst.work(contractor), "burst-" + contractor);
      burst.clients.add(client);
      client.start();
    }
    return burst;
  }

  /** Waits until every label is acknowledged; fails on a client's error. */
  LabelBurst awaitDone() throws InterruptedException {
    for (Thread client : clients) client.join(PATIENCE.toMillis());
    if (!failures.isEmpty()) throw new AssertionError("a burst client failed", failures.get(0));
    if (clients.stream().anyMatch(Thread::isAlive)) {
      throw new AssertionError("the burst did not finish in " + PATIENCE + ": " + acks.size());
    }
    return this;
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  Set<UUID> acknowledged() {
    Set<UUID> ids = ConcurrentHashMap.newKeySet();
    acks.forEach(a -> ids.add(a.labelId()));
    return ids;
  }

  /** How often each HTTP status was answered; -1 counts requests that got no answer. */
  Map<Integer, Integer> answers() {
    Map<Integer, Integer> counts = new TreeMap<>();
    answers.forEach((status, n) -> counts.put(status, n.get()));
    return counts;
  }

  /** The Retry-After values seen on 503 answers. */
  Set<String> retryAfters() {
    return Set.copyOf(retryAfters);
  }

  /** The first acknowledgement at or after {@code moment}. */
  Instant firstAckAfter(Instant moment) {
    return acks.stream()
        .map(Ack::at)
        .filter(at -> !at.isBefore(moment))
        .min(Instant::compareTo)
        .orElseThrow(() -> new AssertionError("no label acknowledged after " + moment));
  }

  private void work(String contractor) {
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (contractor + ":" + Researcher.PASSWORD).getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    try {
      while (left.getAndDecrement() > 0) {
        if (!label(auth, deadline)) left.incrementAndGet();
      }
    } catch (Throwable e) {
      failures.add(e);
    }
  }

  /** Writes one label; false when its task went away before it was acknowledged. */
  private boolean label(String auth, long deadline) throws Exception {
    JsonNode task = nextTask(auth, deadline);
    String key = UUID.randomUUID().toString();
    String kind = type.equals("RANKING") ? "ranking" : "demonstration";
    String body = JSON.writeValueAsString(answer(task));
    URI submit =
        URI.create(baseUrl + "/api/assignments/" + task.get("assignmentId").asText() + "/" + kind);
    while (true) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(submit)
                  .header("Authorization", auth)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(body)),
              deadline);
      if (response == null) continue;
      int status = response.statusCode();
      if (status / 100 == 2) {
        acks.add(
            new Ack(
                UUID.fromString(JSON.readTree(response.body()).get("labelId").asText()),
                Instant.now()));
        return true;
      }
      // The assignment is gone (its lease lapsed, or it was never committed): not acknowledged.
      if (status == 404 || status == 409) return false;
      if (status < 500)
        throw new AssertionError("submit answered " + status + ": " + response.body());
    }
  }

  private Map<String, Object> answer(JsonNode task) {
    if (!type.equals("RANKING")) {
      JsonNode turns = task.get("conversation");
      String question = turns.get(turns.size() - 1).get("text").asText();
      return Map.of("response", "The answer to: " + question, "timeSpentMs", 1000);
    }
    List<List<String>> order = new ArrayList<>();
    task.get("completions").forEach(c -> order.add(List.of(c.get("id").asText())));
    return Map.of("order", order, "allBad", false, "timeSpentMs", 1000);
  }

  /**
   * The task to work on: one still leased from before (its lease was answered, but the answer lost
   * to a crash), as the workbench resumes it; else the next one, once there is one (a ranking task
   * waits for its completions).
   */
  private JsonNode nextTask(String auth, long deadline) throws Exception {
    URI active = URI.create(baseUrl + "/api/assignments?state=ACTIVE");
    URI next = URI.create(baseUrl + "/api/tasks/next?project=" + project + "&type=" + type);
    while (true) {
      HttpResponse<String> held =
          send(HttpRequest.newBuilder(active).header("Authorization", auth).GET(), deadline);
      if (held == null) continue;
      if (held.statusCode() != 200) {
        throw new AssertionError("active assignments answered " + held.statusCode());
      }
      JsonNode resumed = null;
      for (JsonNode assignment : JSON.readTree(held.body())) {
        if (assignment.get("projectId").asText().equals(project)
            && assignment.get("type").asText().equals(type)) {
          resumed = assignment; // newest first: the last one is the oldest
        }
      }
      if (resumed != null) return resumed;
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(next)
                  .header("Authorization", auth)
                  // As the workbench does: labeling-service changes state only for a request that
                  // no other site's page could have sent (CSRF).
                  .header("X-Requested-With", "XMLHttpRequest")
                  .POST(HttpRequest.BodyPublishers.noBody()),
              deadline);
      if (response == null) continue;
      if (response.statusCode() == 200) return JSON.readTree(response.body());
      if (response.statusCode() == 204) {
        Thread.sleep(250);
        continue;
      }
      if (response.statusCode() < 500) {
        throw new AssertionError("next task answered " + response.statusCode());
      }
    }
  }

  /** Sends once; null (after a pause) when there was no usable answer and it must be repeated. */
  private HttpResponse<String> send(HttpRequest.Builder request, long deadline) throws Exception {
    if (System.nanoTime() > deadline) throw new AssertionError("the burst ran out of time");
    HttpResponse<String> response;
    try {
      response =
          http.send(
              request.timeout(Duration.ofSeconds(15)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException noAnswer) {
      count(-1);
      Thread.sleep(250);
      return null;
    }
    count(response.statusCode());
    if (response.statusCode() < 500) return response;
    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
    if (retryAfter != null) retryAfters.add(retryAfter);
    // A drill need not wait the whole Retry-After: the clients poll the service's return.
    Thread.sleep(250);
    return null;
  }

  private void count(int status) {
    answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
  }
}
