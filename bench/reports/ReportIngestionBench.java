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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streams misbehavior reports to Kafka at fixed rates against a running labeling-service (its
 * packaged jar, on an embedded PostgreSQL with fsync on and an embedded broker), and prints per
 * rate: reports produced and stored (nothing may be lost) and the lag from produce to stored.
 * "missing" counts reports not stored when the 60 s drain after a step ends: lost, or still queued
 * in Kafka because the consumer fell behind; a step is held only when none are missing.
 *
 * <p>Arguments: path of quarkus-run.jar, rates per second (comma-separated), seconds per rate.
 */
public final class ReportIngestionBench {

  private static final int DRAIN_SECONDS = 60;

  public static void main(String[] args) throws Exception {
    Path serviceJar = Path.of(args.length > 0 ? args[0] : "labeling-service/target/quarkus-app/quarkus-run.jar");
    int[] rates = Arrays.stream((args.length > 1 ? args[1] : "100,250,500,1000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;

    Path work = Files.createTempDirectory("rlhf-bench-reports");
    try (EmbeddedDatabase db = EmbeddedDatabase.startPersistent(work.resolve("pg"), 0);
        EmbeddedKafka kafka = EmbeddedKafka.startForTests()) {
      Process service = startService(serviceJar, db, kafka, work);
      try (Connection sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
          KafkaProducer<String, byte[]> producer = producer(kafka)) {
        System.out.printf("%8s %8s %8s %6s %9s %9s %9s %s%n",
            "offered/s", "produced", "stored", "missing", "p50 ms", "p99 ms", "max ms", "held");
        int held = 0;
        for (int rate : rates) {
          Step step = run(producer, sql, rate, seconds);
          boolean ok = step.lost() == 0 && step.p99() < 1000;
          if (ok) held = Math.max(held, rate);
          System.out.printf("%8d %8d %8d %6d %9d %9d %9d %s%n", rate, step.produced(), step.stored(),
              step.lost(), step.p50(), step.p99(), step.max(), ok ? "yes" : "no");
        }
        System.out.printf("highest rate held (nothing lost, p99 lag < 1 s): %d reports/s%n", held);
      } finally {
        service.destroy();
        service.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  record Step(int produced, int stored, int lost, long p50, long p99, long max) {}

  private static Step run(KafkaProducer<String, byte[]> producer, Connection sql, int rate, int seconds)
      throws Exception {
    String source = "bench-" + rate + "-" + UUID.randomUUID().toString().substring(0, 8);
    int total = rate * seconds;
    long[] producedAtMs = new long[total];
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      // Paced against the start so that a slow send is caught up rather than lowering the rate.
      long due = start + (long) i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      MisbehaviorReported report = report(source, i);
      producedAtMs[i] = System.currentTimeMillis();
      producer.send(new ProducerRecord<>(Topic.MISBEHAVIOR_REPORTS.topicName(), report.key(),
          EventCodec.encode(report)));
    }
    producer.flush();
    long deadline = System.currentTimeMillis() + DRAIN_SECONDS * 1000L;
    int stored = count(sql, source);
    while (stored < total && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      stored = count(sql, source);
    }
    long[] lags = lags(sql, source, producedAtMs);
    Arrays.sort(lags);
    return new Step(total, stored, total - stored, percentile(lags, 50), percentile(lags, 99),
        lags.length == 0 ? 0 : lags[lags.length - 1]);
  }

  private static MisbehaviorReported report(String source, int i) {
    String nonce = UUID.randomUUID().toString();
    return new MisbehaviorReported(UUID.randomUUID(), Instant.now(), source, String.valueOf(i),
        List.of(new ChatTurn(ChatTurn.Role.USER, "What is " + i + " plus 2? " + nonce),
            new ChatTurn(ChatTurn.Role.ASSISTANT, "It is " + (i + 3) + ".")),
        "policy-bench", MisbehaviorReported.Category.UNTRUTHFUL, 1 + i % 5,
        "wrong arithmetic, seen by the benchmark");
  }

  private static int count(Connection sql, String source) throws Exception {
    try (PreparedStatement q = sql.prepareStatement(
        "select count(*) from misbehavior_report where source = ?")) {
      q.setString(1, source);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private static long[] lags(Connection sql, String source, long[] producedAtMs) throws Exception {
    List<Long> lags = new ArrayList<>();
    try (PreparedStatement q = sql.prepareStatement(
        "select external_id, first_reported_at from misbehavior_report where source = ?")) {
      q.setString(1, source);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          int i = Integer.parseInt(r.getString(1));
          lags.add(r.getTimestamp(2).getTime() - producedAtMs[i]);
        }
      }
    }
    return lags.stream().mapToLong(Long::longValue).toArray();
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

  private static Process startService(Path jar, EmbeddedDatabase db, EmbeddedKafka kafka, Path work)
      throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString());
    pb.environment().put("HTTP_PORT", String.valueOf(port));
    pb.environment().put("HTTP_HOST", "127.0.0.1");
    pb.environment().put("DATABASE_URL", db.jdbcUrl());
    pb.environment().put("DATABASE_USER", db.user());
    pb.environment().put("DATABASE_PASSWORD", db.password());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    pb.redirectErrorStream(true).redirectOutput(work.resolve("labeling-service.log").toFile());
    Process process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("labeling-service exited; see " + work);
      try {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
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
