package dev.rlhf.labeling.bench;

import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.events.kafka.EmbeddedKafka;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Ranking submissions through the HTTP API at 64 concurrent clients, side by side with pgbench
 * running the same statements on the same database; then "next task" with 200 concurrent
 * contractors, counting double assignments. Run with bench/labeling/run.sh. Not a test.
 */
public final class LabelingBenchmark {

  static final int CLIENTS = 64;
  static final int PER_CLIENT_HTTP = Integer.getInteger("bench.perClientHttp", 120);
  // On 2 cores the service runs at under half its speed for its first 20,000-25,000 submissions
  // (three slices of 7,680), while the JIT compiles the submission path.
  static final int WARM_UP_SLICES = Integer.getInteger("bench.warmUpSlices", 4);
  static final int PER_CLIENT_PGBENCH = Integer.getInteger("bench.perClientPgbench", 200);
  static final int REPETITIONS = 2;
  static final int CONTRACTORS_NEXT = 200;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("labeling-bench");
    try (EmbeddedDatabase db = EmbeddedDatabase.startForTests();
        EmbeddedKafka kafka = EmbeddedKafka.startForTests()) {
      int port = freePort();
      Process service = startService(db, kafka, port, dir);
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        awaitReady(http, port);
        try (BenchSeed seed = new BenchSeed(db.jdbcUrl(), db.user(), db.password())) {
          seed.projects();
          List<String> rankers = seed.contractors("ranker", CLIENTS);
          // Slices of HTTP work for the JIT's warm-up, the measured runs and the paced run.
          int slices = WARM_UP_SLICES + REPETITIONS + 1;
          seed.leasedRankingTasks("http", rankers, CLIENTS * PER_CLIENT_HTTP * slices);
          seed.leasedRankingTasks("pgbench", rankers, CLIENTS * PER_CLIENT_PGBENCH * REPETITIONS);
          List<String[]> httpWork = seed.work("http");
          // Planner statistics for the seeded rows, as a database in use has them: otherwise
          // autovacuum gathers them at some point during the runs and the plans change midway.
          seed.exec("analyze");
          warmUp(http, port, rankers);

          System.out.println();
          System.out.println(
              "== Ranking submissions, " + CLIENTS + " concurrent clients, same database");
          for (int slice = 0; slice < WARM_UP_SLICES; slice++) {
            System.out.println(
                submitRankings(http, port, httpWork, slice, 0)
                    .line("warm-up HTTP API (not counted)"));
          }
          double fastest = 0;
          for (int rep = 0; rep < REPETITIONS; rep++) {
            Latencies api = submitRankings(http, port, httpWork, WARM_UP_SLICES + rep, 0);
            fastest = Math.max(fastest, api.perSecond());
            Latencies sql = PgbenchRun.run(db.port(), CLIENTS, PER_CLIENT_PGBENCH, dir, rep);
            System.out.println(api.line("run " + (rep + 1) + " HTTP API (service)"));
            System.out.println(sql.line("run " + (rep + 1) + " pgbench (same SQL)"));
            System.out.printf(
                "run %d ratio API/pgbench throughput: %.2fx (target >= 0.5x); API p99 %.1f ms"
                    + " (target <= 50 ms)%n",
                rep + 1, api.perSecond() / sql.perSecond(), api.percentile(99) / 1000.0);
          }
          // The same 64 clients offering half the rate they reached at full speed: the latency a
          // contractor sees while the service is busy but not saturated.
          double offered = Math.floor(fastest / 2);
          Latencies paced = submitRankings(http, port, httpWork, slices - 1, offered);
          System.out.println(paced.line(String.format("paced HTTP API, %.0f/s offered", offered)));
          long published =
              seed.scalar("select count(*) from outbox_event where published_at is not null");
          long outbox = seed.scalar("select count(*) from outbox_event");
          System.out.printf("outbox rows published to Kafka so far: %d of %d%n", published, outbox);

          System.out.println();
          System.out.println("== Next task, " + CONTRACTORS_NEXT + " concurrent contractors");
          seed.openTasks(150, 3);
          List<String> contractors = seed.contractors("taker", CONTRACTORS_NEXT);
          warmUp(http, port, contractors);
          Latencies next = takeTasks(http, port, contractors, seed.nextTaskProjectId.toString());
          System.out.println(next.line("next task (HTTP API)"));
          String project = "'" + seed.nextTaskProjectId + "'";
          long assigned =
              seed.scalar(
                  "select count(*) from assignment a join task t on t.id = a.task_id"
                      + " where t.project_id = "
                      + project);
          long overbooked =
              seed.scalar(
                  "select count(*) from task t where t.project_id = "
                      + project
                      + " and (select count(*) from assignment a where a.task_id = t.id)"
                      + " > t.answers_wanted");
          long twice =
              seed.scalar(
                  "select count(*) from (select task_id, contractor_id from assignment"
                      + " group by 1, 2 having count(*) > 1) d");
          long drift =
              seed.scalar(
                  "select count(*) from task t where t.project_id = "
                      + project
                      + " and t.slots_taken <> (select count(*) from assignment a"
                      + " where a.task_id = t.id)");
          System.out.printf(
              "slots handed out %d of %d; double assignments: %d tasks over their overlap,"
                  + " %d task given twice to one contractor, %d slot counters off%n",
              assigned, 150 * 3, overbooked, twice, drift);
        }
      } finally {
        service.destroy();
        service.waitFor();
      }
    }
  }

  static Process startService(EmbeddedDatabase db, EmbeddedKafka kafka, int port, Path dir)
      throws Exception {
    // The JVM options ./run.sh starts the service with (launcher's ServiceProcess), plus any of
    // -Dbench.serviceJvmOptions (for example a profiler agent).
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-XX:+UseSerialGC"));
    String extra = System.getProperty("bench.serviceJvmOptions", "").trim();
    if (!extra.isEmpty()) command.addAll(List.of(extra.split("\\s+")));
    command.addAll(List.of("-jar", "labeling-service/target/quarkus-app/quarkus-run.jar"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("DATABASE_URL", db.jdbcUrl());
    env.put("DATABASE_USER", db.user());
    env.put("DATABASE_PASSWORD", db.password());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("HTTP_PORT", String.valueOf(port));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_LOG_LEVEL", "WARN");
    // On a shared, overloaded machine opening 64 PostgreSQL connections at once can take longer
    // than the 5 s default; a submission should wait for one rather than fail.
    env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "30S");
    System.out.println("service log: " + dir.resolve("service.log"));
    return builder.start();
  }

  static void awaitReady(HttpClient http, int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> ready =
            http.send(get(port, "/q/health/ready", null), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) return;
      } catch (java.io.IOException notYet) {
        // the service is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the service did not become ready");
  }

  /** One request per account, so bcrypt runs before the clock starts. */
  static void warmUp(HttpClient http, int port, List<String> users) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> done = new ArrayList<>();
    for (String user : users) {
      done.add(
          pool.submit(
              () ->
                  http.send(get(port, "/api/me", user), HttpResponse.BodyHandlers.discarding())
                      .statusCode()));
    }
    for (Future<Integer> f : done) {
      if (f.get() != 200) throw new IllegalStateException("warm-up sign-in failed: " + f.get());
    }
    pool.shutdown();
  }

  /**
   * Each client submits its slice of work; with {@code perSecond} > 0 the clients together offer
   * that many submissions a second on a fixed schedule (each latency then counts from the planned
   * send time, so a submission held up behind a slow one is not left out), else each sends the next
   * as soon as the last is answered.
   */
  private static Latencies submitRankings(
      HttpClient http, int port, List<String[]> work, int slice, double perSecond)
      throws Exception {
    Map<String, List<String[]>> byUser = work.stream().collect(Collectors.groupingBy(w -> w[0]));
    ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> clients = new ArrayList<>();
    long start = System.nanoTime();
    long periodNanos = perSecond > 0 ? (long) (byUser.size() * 1e9 / perSecond) : 0;
    int client = 0;
    for (Map.Entry<String, List<String[]>> entry : byUser.entrySet()) {
      List<String[]> mine = entry.getValue();
      List<String[]> share =
          mine.subList(
              slice * PER_CLIENT_HTTP, Math.min(mine.size(), (slice + 1) * PER_CLIENT_HTTP));
      long firstAt = start + client++ * periodNanos / byUser.size();
      clients.add(
          pool.submit(
              () -> {
                long planned = firstAt;
                for (String[] w : share) {
                  String body =
                      "{\"order\":[[\"" + w[2] + "\"],[\"" + w[3] + "\"],[\"" + w[4] + "\"]]}";
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + port
                                      + "/api/assignments/"
                                      + w[1]
                                      + "/ranking"))
                          .header("Authorization", basic(entry.getKey()))
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  long t0 = System.nanoTime();
                  if (periodNanos > 0) {
                    if (planned > t0) Thread.sleep((planned - t0) / 1_000_000);
                    t0 = planned;
                    planned += periodNanos;
                  }
                  int status =
                      http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  micros.add((System.nanoTime() - t0) / 1000);
                  if (status != 201) failures.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> c : clients) c.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (failures.get() > 0) System.out.println("failed submissions: " + failures.get());
    return new Latencies(micros.stream().mapToLong(Long::longValue).toArray(), seconds);
  }

  private static Latencies takeTasks(
      HttpClient http, int port, List<String> contractors, String project) throws Exception {
    ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(contractors.size());
    List<Future<?>> clients = new ArrayList<>();
    long start = System.nanoTime();
    for (String contractor : contractors) {
      clients.add(
          pool.submit(
              () -> {
                // Take tasks until none is left for this contractor or the cap (3) is reached.
                for (int i = 0; i < 5; i++) {
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + port
                                      + "/api/tasks/next?project="
                                      + project))
                          .header("Authorization", basic(contractor))
                          .header("X-Requested-With", "bench")
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build();
                  long t0 = System.nanoTime();
                  int status =
                      http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  micros.add((System.nanoTime() - t0) / 1000);
                  if (status != 200) break;
                }
                return null;
              }));
    }
    for (Future<?> c : clients) c.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return new Latencies(micros.stream().mapToLong(Long::longValue).toArray(), seconds);
  }

  static HttpRequest get(int port, String path, String user) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (user != null) builder.header("Authorization", basic(user));
    return builder.GET().build();
  }

  static String basic(String user) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + BenchSeed.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
