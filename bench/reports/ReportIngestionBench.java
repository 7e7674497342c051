package dev.rlhf.bench.reports;

import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.events.kafka.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streams misbehavior reports into a running labeling-service (its packaged jar, on an embedded
 * PostgreSQL with fsync on and an embedded broker) and prints whether every report that went in was
 * stored exactly once, and how long it took.
 *
 * <p>Kafka, per offered rate: every 10th report repeats an earlier one's external id (it must be
 * merged: its count goes up, no new row) and every 100th record is a redelivery of the one before
 * (same event id: it must change nothing). "in" counts the reports that must be counted (records
 * minus redeliveries), "stored" the sightings the database counts (the sum of report_count), "rows"
 * the distinct reports; in = stored and the expected rows mean nothing lost and nothing counted
 * twice. The lag runs from the produce call to the moment the report is visible in the database,
 * sampled every 100 ms (the topic has one partition and a poll commits at once, so the stored
 * count tells which reports are visible). A rate is held when nothing is missing after the drain
 * (60 s at most) and p99 lag is under 1 s.
 *
 * <p>HTTP: some clients post reports with an API token as fast as they are answered, for a while;
 * 201 (new) and 200 (merged) answers must equal the rows and sightings stored.
 *
 * <p>Before the rates, 15 s at 200/s warm the service up; they are not counted.
 *
 * <p>Arguments: path of quarkus-run.jar, rates per second (comma-separated; "-" skips the Kafka
 * part), seconds per rate, HTTP clients (0 skips the HTTP part).
 */
public final class ReportIngestionBench {

  private static final int DRAIN_SECONDS = 60;
  private static final long SAMPLE_MS = 100;
  private static final int WARM_UP_SECONDS = 15;

  public static void main(String[] args) throws Exception {
    Path serviceJar =
        Path.of(args.length > 0 ? args[0] : "labeling-service/target/quarkus-app/quarkus-run.jar");
    String rateList = args.length > 1 ? args[1] : "100,250,500,1000";
    int[] rates =
        rateList.equals("-")
            ? new int[0]
            : Arrays.stream(rateList.split(",")).mapToInt(Integer::parseInt).toArray();
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int httpClients = args.length > 3 ? Integer.parseInt(args[3]) : 8;

    Path work = Files.createTempDirectory("rlhf-bench-reports");
    try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(work.resolve("pg"), 0);
        EmbeddedKafka kafka = EmbeddedKafka.startForTests()) {
      int port = freePort();
      Process service = startService(serviceJar, port, db, kafka, work);
      try (Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          KafkaProducer<String, byte[]> producer = producer(kafka)) {
        if (rates.length > 0) kafkaSteps(producer, sql, rates, seconds);
        if (httpClients > 0) httpStep(port, sql, httpClients, seconds);
      } finally {
        service.destroy();
        service.waitFor(20, TimeUnit.SECONDS);
      }
    }
    // Kept when something failed above: it holds the service's log.
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static void kafkaSteps(
      KafkaProducer<String, byte[]> producer, Connection sql, int[] rates, int seconds)
      throws Exception {
    // A service just started runs its first thousands of reports slowly (class loading, JIT):
    // that is start-up, not the sustained rate.
    KafkaStep warmUp = kafkaStep(producer, sql, 200, WARM_UP_SECONDS);
    System.out.printf(
        "warm-up: %d reports at 200/s, %d stored, p50 lag %d ms (not counted)%n",
        warmUp.in(), warmUp.stored(), warmUp.p50());
    System.out.println("Kafka (" + seconds + " s per rate):");
    System.out.printf(
        "%9s %7s %7s %7s %11s %7s %9s %8s %8s %8s %s%n",
        "offered/s", "records", "in", "stored", "rows", "missing", "in=stored",
        "p50 ms", "p99 ms", "max ms", "held");
    int held = 0;
    for (int rate : rates) {
      KafkaStep s = kafkaStep(producer, sql, rate, seconds);
      boolean exact = s.in() == s.stored() && s.rows() == s.expectedRows();
      boolean ok = exact && s.p99() < 1000;
      if (ok) held = Math.max(held, rate);
      System.out.printf(
          "%9d %7d %7d %7d %11s %7d %9s %8d %8d %8d %s%n",
          rate, s.records(), s.in(), s.stored(), s.rows() + "/" + s.expectedRows(),
          s.in() - s.stored(), exact ? "yes" : "NO", s.p50(), s.p99(), s.max(),
          ok ? "yes" : "no");
    }
    System.out.printf("highest rate held (in = stored, p99 lag < 1 s): %d reports/s%n", held);
  }

  record KafkaStep(
      int records, int in, long stored, long rows, int expectedRows, long p50, long p99, long max) {}

  private static KafkaStep kafkaStep(
      KafkaProducer<String, byte[]> producer, Connection sql, int rate, int seconds)
      throws Exception {
    String source = "bench-" + rate + "-" + UUID.randomUUID().toString().substring(0, 8);
    int total = rate * seconds;
    // producedAt[k]: when the k-th report that counts was produced (redeliveries excluded).
    long[] producedAt = new long[total];
    int in = 0;
    int repeats = 0;
    MisbehaviorReported previous = null;
    Sampler sampler = new Sampler(sql, source);
    sampler.start();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      // Paced against the start so that a slow send is caught up rather than lowering the rate.
      long wait = start + (long) i * 1_000_000_000L / rate - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      MisbehaviorReported report;
      boolean redelivery = i % 100 == 50;
      if (redelivery) {
        report = previous;
      } else {
        boolean repeat = i % 10 == 9;
        report = report(source, String.valueOf(repeat ? i - 5 : i), i);
        if (repeat) repeats++;
        producedAt[in++] = System.currentTimeMillis();
      }
      producer.send(
          new ProducerRecord<>(
              Topic.MISBEHAVIOR_REPORTS.topicName(), report.key(), EventCodec.encode(report)));
      previous = report;
    }
    producer.flush();
    long deadline = System.currentTimeMillis() + DRAIN_SECONDS * 1000L;
    while (sampler.latest()[0] < in && System.currentTimeMillis() < deadline) Thread.sleep(50);
    sampler.stopAndWait();
    long[] stored = sampler.latest();
    long[] lags = sampler.lags(producedAt, in);
    Arrays.sort(lags);
    return new KafkaStep(
        total, in, stored[0], stored[1], in - repeats, percentile(lags, 50), percentile(lags, 99),
        lags.length == 0 ? 0 : lags[lags.length - 1]);
  }

  /** Reads the stored sightings and rows of one source every 100 ms, with the time it saw them. */
  private static final class Sampler extends Thread {
    private final PreparedStatement query;
    private final List<long[]> samples = new ArrayList<>(); // {time ms, sightings}
    private volatile long[] latest = {0, 0};
    private volatile boolean running = true;

    Sampler(Connection sql, String source) throws Exception {
      query =
          sql.prepareStatement(
              "select coalesce(sum(report_count), 0), count(*) from misbehavior_report"
                  + " where source = ?");
      query.setString(1, source);
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (running) {
          try (ResultSet r = query.executeQuery()) {
            r.next();
            latest = new long[] {r.getLong(1), r.getLong(2)};
          }
          synchronized (samples) {
            samples.add(new long[] {System.currentTimeMillis(), latest[0]});
          }
          Thread.sleep(SAMPLE_MS);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    long[] latest() {
      return latest;
    }

    void stopAndWait() throws InterruptedException {
      running = false;
      join();
    }

    /** Per stored report: the first sample that counted it, minus when it was produced. */
    long[] lags(long[] producedAt, int in) {
      List<Long> lags = new ArrayList<>();
      int next = 0;
      synchronized (samples) {
        for (long[] sample : samples) {
          for (; next < Math.min(sample[1], in); next++) lags.add(sample[0] - producedAt[next]);
        }
      }
      return lags.stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static void httpStep(int port, Connection sql, int clients, int seconds)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String run = UUID.randomUUID().toString().substring(0, 8);
    // Warms the request path up (not counted), under a source of its own.
    httpRound(http, port, issueToken(http, port, "bench-http-warm-up-" + run), clients, 5);
    String source = "bench-http-" + run;
    HttpRound round = httpRound(http, port, issueToken(http, port, source), clients, seconds);
    long[] stored = storedOf(sql, source);
    long[] sorted = round.latencies().stream().mapToLong(Long::longValue).sorted().toArray();
    int created = round.statuses().get(201);
    int merged = round.statuses().get(200);
    int other = sorted.length - created - merged;
    boolean exact = other == 0 && stored[0] == created + merged && stored[1] == created;
    System.out.println("HTTP POST /api/reports (" + clients + " clients, " + seconds + " s):");
    System.out.printf(
        "%8s %8s %8s %10s %6s %7s %7s %8s %8s %s%n",
        "requests", "req/s", "201 new", "200 merged", "other", "stored", "rows", "p50 ms",
        "p99 ms", "posted=stored");
    System.out.printf(
        "%8d %8.0f %8d %10d %6d %7d %7d %8d %8d %s%n",
        sorted.length, sorted.length / (double) seconds, created, merged, other, stored[0],
        stored[1], percentile(sorted, 50), percentile(sorted, 99), exact ? "yes" : "NO");
  }

  record HttpRound(ConcurrentLinkedQueue<Long> latencies, AtomicIntegerArray statuses) {}

  /** Clients post as fast as they are answered; every 10th report repeats an earlier one's id. */
  private static HttpRound httpRound(
      HttpClient http, int port, String token, int clients, int seconds) throws Exception {
    HttpRound round = new HttpRound(new ConcurrentLinkedQueue<>(), new AtomicIntegerArray(600));
    String source = "posted-" + UUID.randomUUID(); // the token decides the stored source
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                  String externalId = client + "-" + (i % 10 == 9 ? i - 5 : i);
                  MisbehaviorReported report = report(source, externalId, i);
                  long t0 = System.nanoTime();
                  round.statuses().incrementAndGet(post(http, port, token, report));
                  round.latencies().add((System.nanoTime() - t0) / 1_000_000);
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    return round;
  }

  /** The HTTP status of posting the report's fields with the token, or 599 for no answer. */
  private static int post(HttpClient http, int port, String token, MisbehaviorReported r) {
    try {
      String body =
          EventCodec.mapper()
              .writeValueAsString(
                  Map.of(
                      "externalId", r.externalId(),
                      "conversation", r.conversation(),
                      "modelVersion", r.modelVersion(),
                      "category", r.category(),
                      "severity", r.severity(),
                      "text", r.text()));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reports"))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 599;
    }
  }

  private static String issueToken(HttpClient http, int port, String source) throws Exception {
    String basic = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/admin/report-tokens"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    EventCodec.mapper().writeValueAsString(Map.of("source", source))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("no token: HTTP " + response.statusCode() + " " + response.body());
    }
    return EventCodec.mapper().readTree(response.body()).path("token").asText();
  }

  /** A report with a conversation of its own; the nonce varies the texts and the severity. */
  private static MisbehaviorReported report(String source, String externalId, int nonce) {
    String unique = UUID.randomUUID().toString();
    return new MisbehaviorReported(
        UUID.randomUUID(), Instant.now(), source, externalId,
        List.of(
            new ChatTurn(ChatTurn.Role.USER, "What is " + nonce + " plus 2? " + unique),
            new ChatTurn(ChatTurn.Role.ASSISTANT, "It is " + (nonce + 3) + ".")),
        "policy-bench", MisbehaviorReported.Category.UNTRUTHFUL, 1 + nonce % 5,
        "wrong arithmetic, seen by the benchmark");
  }

  /** {sightings, rows} stored for a source. */
  private static long[] storedOf(Connection sql, String source) throws Exception {
    try (PreparedStatement q =
        sql.prepareStatement(
            "select coalesce(sum(report_count), 0), count(*) from misbehavior_report"
                + " where source = ?")) {
      q.setString(1, source);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return new long[] {r.getLong(1), r.getLong(2)};
      }
    }
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static int freePort() throws Exception {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Process startService(
      Path jar, int port, EmbeddedDatabase db, EmbeddedKafka kafka, Path work) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString());
    pb.environment().put("HTTP_PORT", String.valueOf(port));
    pb.environment().put("HTTP_HOST", "127.0.0.1");
    pb.environment().put("DATABASE_URL", db.jdbcUrl());
    pb.environment().put("DATABASE_USER", db.user());
    pb.environment().put("DATABASE_PASSWORD", db.password());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    pb.environment().put("ADMIN_USERNAME", "admin");
    pb.environment().put("ADMIN_PASSWORD", "admin");
    pb.redirectErrorStream(true).redirectOutput(work.resolve("labeling-service.log").toFile());
    Process process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("labeling-service exited; see " + work);
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) return process;
      } catch (java.io.IOException notYet) {
        // Still starting.
      }
      Thread.sleep(500);
    }
    process.destroy();
    throw new IllegalStateException("labeling-service not ready in 180 s; see " + work);
  }
}
