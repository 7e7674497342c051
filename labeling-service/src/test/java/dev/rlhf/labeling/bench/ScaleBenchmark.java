package dev.rlhf.labeling.bench;

import static dev.rlhf.labeling.bench.LabelingBenchmark.basic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.kafka.EmbeddedKafka;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The labeling service on a small and a large generated project ({@link ScaleSeed}): next task +
 * ranking submission at 64 clients (saturated, then paced at half that rate with latency counted
 * from the planned send time), the label browser's pages, the dashboard statistics, the streamed
 * preference export and a training snapshot. Prints one table. Run with
 * bench/labeling/run-scale.sh. Not a test.
 */
public final class ScaleBenchmark {

  static final int CLIENTS = 64;
  static final int SMALL = Integer.getInteger("bench.small", 10_000);
  static final int LARGE = Integer.getInteger("bench.large", 1_000_000);
  static final int PER_CLIENT = Integer.getInteger("bench.perClient", 40);
  // The submission path needs 20,000-25,000 requests before the JIT is done with it (README).
  static final int WARM_UP_PASSES = Integer.getInteger("bench.warmUpPasses", 3);
  static final int TRIES = 3;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final int port;
  private final String researcher;
  private final Map<String, String[]> table = new LinkedHashMap<>();

  private ScaleBenchmark(int port, String researcher) {
    this.port = port;
    this.researcher = researcher;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("labeling-scale-bench");
    System.out.println("load average at start: " + loadAverage());
    try (EmbeddedDatabase db = EmbeddedDatabase.startForTests();
        EmbeddedKafka kafka = EmbeddedKafka.startForTests()) {
      int port = LabelingBenchmark.freePort();
      Process service = LabelingBenchmark.startService(db, kafka, port, dir);
      try (Connection connection =
          DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        LabelingBenchmark.awaitReady(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), port);
        ScaleSeed seed = new ScaleSeed(connection);
        List<String> labelers = seed.contractors("labeler", 10);
        List<String> clients = seed.contractors("client", CLIENTS);
        // An admin too: the bench reads the outbox's backlog to see the cycle's command sent.
        String researcher = seed.accounts("researcher", 1, "researcher,admin").get(0);
        ScaleBenchmark bench = new ScaleBenchmark(port, researcher);
        ScaleSeed.Made small = seed.project("small", SMALL, labelers);
        System.out.printf(
            "generated %d tasks, %d labels in %d s%n", SMALL, small.labels(), small.seconds());
        ScaleSeed.Made large = seed.project("large", LARGE, labelers);
        System.out.printf(
            "generated %d tasks, %d labels in %d s (load %s)%n",
            LARGE, large.labels(), large.seconds(), loadAverage());
        bench.put("generator: seconds", small.seconds() + " s", large.seconds() + " s", "minutes");
        LabelingBenchmark.warmUp(bench.http, port, clients);
        LabelingBenchmark.warmUp(bench.http, port, List.of(researcher));
        bench.run(clients, small, large, labelers.get(3));
      } finally {
        service.destroy();
        service.waitFor();
      }
    }
    System.out.println("load average at end: " + loadAverage());
  }

  private void run(List<String> clients, ScaleSeed.Made small, ScaleSeed.Made large, String labeler)
      throws Exception {
    // Warm-up on the large project: it has 0.8 M free slots to spare.
    for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
      Loops warm = label(clients, large.projectId().toString(), 0);
      System.out.println(warm.line("warm-up pass " + (pass + 1) + " (large, not counted)"));
    }
    ScaleSeed.Made[] projects = {small, large};
    Loops[] saturated = new Loops[2];
    for (int i = 0; i < 2; i++) {
      saturated[i] = label(clients, projects[i].projectId().toString(), 0);
      System.out.println(saturated[i].line("saturated, " + projects[i].tasks() + " tasks"));
    }
    Loops[] paced = new Loops[2];
    for (int i = 0; i < 2; i++) {
      double rate = Math.floor(saturated[i].perSecond() / 2);
      paced[i] = label(clients, projects[i].projectId().toString(), rate);
      System.out.println(
          paced[i].line(String.format("paced %.0f/s, %d tasks", rate, projects[i].tasks())));
    }
    put(
        "next task + ranking, loops/s (64 clients)",
        saturated[0].rate(),
        saturated[1].rate(),
        String.format(
            "large >= 0.8x small: %.2fx", saturated[1].perSecond() / saturated[0].perSecond()));
    put("  saturated p99 next / submit", saturated[0].p99s(), saturated[1].p99s(), "");
    put("paced at half, offered loops/s", paced[0].rate(), paced[1].rate(), "");
    put("  paced p99 next / submit (from planned)", paced[0].p99s(), paced[1].p99s(), "<= 50 ms");

    String[] firstPage = new String[2];
    String[] deepPage = new String[2];
    String[] cursorPage = new String[2];
    String[] filtered = new String[2];
    String[] statistics = new String[2];
    for (int i = 0; i < 2; i++) {
      String p = projects[i].projectId().toString();
      firstPage[i] = time("/api/labels?limit=100&project=" + p);
      String middle = "/api/labels?limit=100&project=" + p + "&offset=" + projects[i].labels() / 2;
      deepPage[i] = time(middle);
      JsonNode label =
          EventCodec.mapper()
              .readTree(
                  http.send(
                          LabelingBenchmark.get(port, middle, researcher),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .get(0);
      cursorPage[i] =
          time(
              "/api/labels?limit=100&project="
                  + p
                  + "&after="
                  + label.get("createdAt").asText()
                  + "_"
                  + label.get("id").asText());
      filtered[i] =
          time("/api/labels?limit=100&type=RANKING&contractor=" + labeler + "&project=" + p);
      statistics[i] = time("/api/statistics?project=" + p);
    }
    put("label browser, first page (100)", firstPage[0], firstPage[1], "<= 500 ms");
    put("label browser, middle page by offset (labels/2)", deepPage[0], deepPage[1], "<= 500 ms");
    put("label browser, middle page by cursor (after=)", cursorPage[0], cursorPage[1], "<= 500 ms");
    put("label browser, one contractor's rankings", filtered[0], filtered[1], "<= 500 ms");
    put("dashboard statistics", statistics[0], statistics[1], "<= 500 ms");
    String[] export = new String[2];
    String[] snapshot = new String[2];
    for (int i = 0; i < 2; i++) {
      export[i] = export(projects[i].projectId().toString());
      snapshot[i] = snapshot(projects[i].projectId().toString());
    }
    put("preference export (streamed)", export[0], export[1], ">= 50k lines/s");
    put("training snapshot (SFT + REWARD)", snapshot[0], snapshot[1], "<= 30 s");

    System.out.println();
    System.out.printf("| | %,d tasks | %,d tasks | target |%n", small.tasks(), large.tasks());
    System.out.println("|---|---|---|---|");
    for (Map.Entry<String, String[]> row : table.entrySet()) {
      String[] v = row.getValue();
      System.out.printf("| %s | %s | %s | %s |%n", row.getKey(), v[0], v[1], v[2]);
    }
  }

  private void put(String name, String small, String large, String target) {
    table.put(name, new String[] {small, large, target});
  }

  /** One pass of next task + ranking per client ({@link #PER_CLIENT} loops each). */
  private Loops label(List<String> clients, String project, double perSecond) throws Exception {
    ConcurrentLinkedQueue<Long> next = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> submit = new ConcurrentLinkedQueue<>();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    List<Future<?>> running = new ArrayList<>();
    long periodNanos = perSecond > 0 ? (long) (clients.size() * 1e9 / perSecond) : 0;
    long start = System.nanoTime();
    for (int c = 0; c < clients.size(); c++) {
      String client = clients.get(c);
      long firstAt = start + c * periodNanos / clients.size();
      running.add(
          pool.submit(
              () -> {
                long planned = firstAt;
                for (int i = 0; i < PER_CLIENT; i++) {
                  long t0 = System.nanoTime();
                  if (periodNanos > 0) {
                    if (planned > t0) Thread.sleep((planned - t0) / 1_000_000);
                    t0 = planned;
                    planned += periodNanos;
                  }
                  HttpResponse<String> task =
                      http.send(
                          post("/api/tasks/next?project=" + project, client, null),
                          HttpResponse.BodyHandlers.ofString());
                  next.add((System.nanoTime() - t0) / 1000);
                  if (task.statusCode() != 200) {
                    failures.incrementAndGet();
                    continue;
                  }
                  JsonNode view = EventCodec.mapper().readTree(task.body());
                  StringBuilder order = new StringBuilder("{\"order\":[");
                  JsonNode shown = view.get("completions");
                  for (int k = shown.size() - 1; k >= 0; k--) {
                    order.append("[\"").append(shown.get(k).get("id").asText()).append("\"]");
                    if (k > 0) order.append(',');
                  }
                  order.append("]}");
                  long t1 = System.nanoTime();
                  int status =
                      http.send(
                              post(
                                  "/api/assignments/"
                                      + view.get("assignmentId").asText()
                                      + "/ranking",
                                  client,
                                  order.toString()),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                  submit.add((System.nanoTime() - t1) / 1000);
                  if (status != 201) failures.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : running) f.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (failures.get() > 0) System.out.println("failed requests: " + failures.get());
    return new Loops(
        new Latencies(next.stream().mapToLong(Long::longValue).toArray(), seconds),
        new Latencies(submit.stream().mapToLong(Long::longValue).toArray(), seconds));
  }

  /** Next-task and submission latencies of one pass; a loop is one of each. */
  private record Loops(Latencies next, Latencies submit) {
    double perSecond() {
      return submit.perSecond();
    }

    String rate() {
      return String.format("%.0f/s", perSecond());
    }

    String p99s() {
      return String.format(
          "%.1f / %.1f ms", next.percentile(99) / 1000.0, submit.percentile(99) / 1000.0);
    }

    String line(String name) {
      return next.line(name + " next") + System.lineSeparator() + submit.line(name + " submit");
    }
  }

  /** The median and the slowest of {@link #TRIES} GETs, the whole body read. */
  private String time(String path) throws Exception {
    long[] millis = new long[TRIES];
    for (int i = 0; i < TRIES; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> response =
          http.send(
              LabelingBenchmark.get(port, path, researcher),
              HttpResponse.BodyHandlers.ofByteArray());
      millis[i] = (System.nanoTime() - t0) / 1_000_000;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
    }
    Arrays.sort(millis);
    System.out.printf("%-90s %s ms%n", path, Arrays.toString(millis));
    return millis[TRIES / 2] + " ms (max " + millis[TRIES - 1] + ")";
  }

  /** Lines per second of the whole project's preference pairs, read as they stream. */
  private String export(String project) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(
            LabelingBenchmark.get(port, "/api/exports/preferences?project=" + project, researcher),
            HttpResponse.BodyHandlers.ofInputStream());
    long lines = 0;
    long firstByte = -1;
    byte[] buffer = new byte[1 << 16];
    try (InputStream body = response.body()) {
      for (int n; (n = body.read(buffer)) > 0; ) {
        if (firstByte < 0) firstByte = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < n; i++) if (buffer[i] == '\n') lines++;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String result =
        String.format(
            "%,d lines in %.1f s: %,.0f lines/s (first byte %d ms)",
            lines, seconds, lines / seconds, firstByte);
    System.out.println("preference export " + project + ": " + result);
    return result;
  }

  /** Starts an SFT + REWARD cycle: its request freezes the project's labels. */
  private String snapshot(String project) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> response =
        http.send(
            post(
                "/api/cycles",
                researcher,
                "{\"projectId\":\""
                    + project
                    + "\",\"stages\":[\"SFT\",\"REWARD\"],\"baseVersion\":\"policy-v1\"}"),
            HttpResponse.BodyHandlers.ofString());
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (response.statusCode() != 201) {
      throw new IllegalStateException("cycle start answered " + response.body());
    }
    JsonNode cycle = EventCodec.mapper().readTree(response.body());
    System.out.println("snapshot: " + cycle);
    // The command (in parts when large) is on the broker once the outbox has sent every row.
    JsonNode backlog;
    do {
      Thread.sleep(200);
      backlog =
          EventCodec.mapper()
              .readTree(
                  http.send(
                          LabelingBenchmark.get(port, "/api/admin/outbox", researcher),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      if (backlog.get("parked").asLong() > 0) {
        throw new IllegalStateException("the broker refused a record: " + backlog);
      }
    } while (backlog.get("unsent").asLong() > 0);
    double sent = (System.nanoTime() - t0) / 1e9;
    return String.format("%.1f s (on the broker at %.1f s)", seconds, sent);
  }

  private HttpRequest post(String path, String user, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", basic(user))
        .header("X-Requested-With", "bench")
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(5))
        .POST(
            json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
