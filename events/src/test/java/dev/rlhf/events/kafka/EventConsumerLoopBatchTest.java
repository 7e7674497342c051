package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch mode of {@link EventConsumerLoop} against a real in-JVM broker. */
class EventConsumerLoopBatchTest {

  private static final String TOPIC = Topic.WORKERS.topicName();
  private static final String DLQ = Topic.WORKERS.deadLetterTopicName();

  // A broker per test: each loop reads its topic from the beginning.
  private EmbeddedKafka kafka;
  private EventPublisher publisher;

  @BeforeEach
  void startBroker() {
    kafka = EmbeddedKafka.startForTests();
    publisher = new EventPublisher(kafka.bootstrapServers(), "batch-test");
  }

  @AfterEach
  void stopBroker() {
    publisher.close();
    kafka.close();
  }

  /** Handles heartbeats and refuses those whose worker id starts with "refuse". */
  private static class Recorder implements EventConsumerLoop.BatchHandler {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final List<String> handled = new CopyOnWriteArrayList<>();

    @Override
    public Optional<String> refusal(PlatformEvent event) {
      String worker = worker(event);
      return worker.startsWith("refuse") ? Optional.of("no " + worker + " here") : Optional.empty();
    }

    @Override
    public void handle(List<PlatformEvent> events) {
      List<String> workers = events.stream().map(EventConsumerLoopBatchTest::worker).toList();
      calls.add(workers);
      fail(workers);
      handled.addAll(workers);
    }

    void fail(List<String> workers) {}
  }

  @Test
  void shouldHandTheEventsOfAPollToOneCallAndDeadLetterTheMalformedAndRefusedOnes()
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> expected = new ArrayList<>();
    // All on the topic before the loop starts, so that its first poll finds many.
    for (int i = 0; i < 40; i++) {
      String worker = run + "-" + i;
      publisher.publish(heartbeat(worker));
      expected.add(worker);
      if (i == 10) sendRaw(run + "-malformed", "{\"type\":\"WorkerHeartbeatReported\"}");
      if (i == 20) publisher.publish(heartbeat("refuse-" + run));
    }
    publisher.flush();
    Recorder recorder = new Recorder();

    try (EventConsumerLoop loop = loop("batch-" + run, recorder).start()) {
      await(() -> recorder.handled.size() >= expected.size());
    }

    assertThat(recorder.handled).containsExactlyElementsOf(expected);
    assertThat(recorder.calls).anySatisfy(call -> assertThat(call.size()).isGreaterThan(1));
    List<ConsumerRecord<String, byte[]>> letters =
        readUntil(DLQ, seen -> reason(seen, run + "-malformed") != null && refusedIn(seen, run));
    assertThat(reason(letters, run + "-malformed")).contains("eventId");
    assertThat(
            letters.stream()
                .filter(r -> carries(r, "refuse-" + run))
                .map(r -> header(r, EventConsumerLoop.REASON_HEADER)))
        .containsExactly("no refuse-" + run + " here");
  }

  @Test
  void shouldDeadLetterAPoisonEventAndStillHandleTheRestOfItsBatch() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String poison = run + "-poison";
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      if (i == 4) publisher.publish(heartbeat(poison));
      publisher.publish(heartbeat(run + "-" + i));
      good.add(run + "-" + i);
    }
    publisher.flush();
    Recorder recorder =
        new Recorder() {
          @Override
          void fail(List<String> workers) {
            if (workers.contains(poison)) throw new IllegalStateException("value too long");
          }
        };

    try (EventConsumerLoop loop = loop("poison-" + run, recorder).start()) {
      await(() -> recorder.handled.size() >= good.size());
      publisher.publishAndWait(heartbeat(run + "-after"));
      await(() -> recorder.handled.contains(run + "-after"));
    }

    assertThat(recorder.handled).containsExactlyInAnyOrderElementsOf(withAfter(good, run));
    List<ConsumerRecord<String, byte[]>> letters =
        readUntil(DLQ, seen -> seen.stream().anyMatch(r -> carries(r, poison)));
    ConsumerRecord<String, byte[]> letter =
        letters.stream().filter(r -> carries(r, poison)).findFirst().orElseThrow();
    assertThat(header(letter, EventConsumerLoop.REASON_HEADER))
        .contains("the handler failed")
        .contains("value too long");
    assertThat(header(letter, EventConsumerLoop.SOURCE_HEADER)).startsWith(TOPIC + "/0@");
  }

  @Test
  void shouldRetryTheWholePollWhileEveryEventFailsAndDeadLetterNothing() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    publisher.publish(heartbeat(run + "-a"));
    publisher.publishAndWait(heartbeat(run + "-b"));
    // The first round: the batch, then each of the two events three times on its own.
    AtomicInteger failuresLeft = new AtomicInteger(7);
    Recorder recorder =
        new Recorder() {
          @Override
          void fail(List<String> workers) {
            if (failuresLeft.getAndDecrement() > 0)
              throw new IllegalStateException("database down");
          }
        };

    try (EventConsumerLoop loop = loop("down-" + run, recorder).start()) {
      await(() -> recorder.handled.size() >= 2);
      sendRaw(run + "-marker", "not json");
      List<ConsumerRecord<String, byte[]>> letters =
          readUntil(DLQ, seen -> reason(seen, run + "-marker") != null);
      assertThat(letters).noneMatch(r -> carries(r, run + "-a") || carries(r, run + "-b"));
    }

    assertThat(recorder.handled).containsExactly(run + "-a", run + "-b");
    assertThat(recorder.calls.get(recorder.calls.size() - 1))
        .containsExactly(run + "-a", run + "-b");
  }

  private static List<String> withAfter(List<String> good, String run) {
    List<String> all = new ArrayList<>(good);
    all.add(run + "-after");
    return all;
  }

  private EventConsumerLoop loop(String group, EventConsumerLoop.BatchHandler handler) {
    return EventConsumerLoop.batched(
        kafka.bootstrapServers(), group, List.of(Topic.WORKERS), handler);
  }

  private static WorkerHeartbeatReported heartbeat(String worker) {
    return new WorkerHeartbeatReported(
        UUID.randomUUID(), Instant.now(), worker, "reward-trainer", "cpu", Instant.now());
  }

  private static String worker(PlatformEvent event) {
    return ((WorkerHeartbeatReported) event).workerId();
  }

  private static boolean carries(ConsumerRecord<String, byte[]> record, String worker) {
    return new String(record.value(), StandardCharsets.UTF_8).contains("\"" + worker + "\"");
  }

  private static boolean refusedIn(List<ConsumerRecord<String, byte[]>> seen, String run) {
    return seen.stream().anyMatch(r -> carries(r, "refuse-" + run));
  }

  private static String reason(List<ConsumerRecord<String, byte[]>> records, String key) {
    for (ConsumerRecord<String, byte[]> r : records) {
      if (key.equals(r.key())) return header(r, EventConsumerLoop.REASON_HEADER);
    }
    return null;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void sendRaw(String key, String value) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    }
  }

  private List<ConsumerRecord<String, byte[]>> readUntil(
      String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
        if (done.test(seen)) return seen;
      }
    }
    throw new AssertionError("the expected records did not arrive on " + topic);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 60 s");
      Thread.sleep(50);
    }
  }
}
