package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-at-a-time mode of {@link EventConsumerLoop} against a real in-JVM broker: nothing ends
 * the loop, nothing is skipped, and what keeps failing is dead-lettered unless it is an outage. One
 * broker for the class; each test reads its own topic.
 */
class EventConsumerLoopTest {

  private static final ConsumerSettings QUICK =
      ConsumerSettings.defaults()
          .withAttemptsBeforeDeadLetter(3)
          .withPauses(Duration.ofMillis(20), Duration.ofMillis(100));

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.startForTests();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void shouldGoBackOnEveryPartitionOfAFailedPollSoThatNoRecordIsSkipped() throws Exception {
    Topic topic = Topic.TRAINING_PROGRESS;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers()))) {
      admin.createTopics(List.of(new NewTopic(topic.topicName(), 2, (short) 1))).all().get();
    }
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int partition = 0; partition < 2; partition++) {
        String worker = "p" + partition + "-" + i;
        send(topic, partition, worker);
        sent.add(worker);
      }
    }
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger failuresLeft = new AtomicInteger(1);
    // The first record of the first poll fails once; the poll held both partitions' records.
    Consumer<PlatformEvent> handler =
        event -> {
          if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("once");
          handled.add(worker(event));
        };

    try (EventConsumerLoop loop = loop(topic, "two-partitions", handler).start()) {
      // The status is updated once the handler has returned: wait for it too.
      await(() -> loop.status().handled() == sent.size() && loop.status().failures() == 0);
    }
    assertThat(handled).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void shouldDeadLetterARecordThatKeepsFailingWithTheReasonAndCarryOnWithTheNext()
      throws Exception {
    Topic topic = Topic.MISBEHAVIOR_REPORTS;
    send(topic, 0, "before");
    send(topic, 0, "poison");
    send(topic, 0, "after");
    List<String> handled = new CopyOnWriteArrayList<>();
    AtomicInteger poisonAttempts = new AtomicInteger();
    Consumer<PlatformEvent> handler =
        event -> {
          if (worker(event).equals("poison")) {
            poisonAttempts.incrementAndGet();
            throw new AssertionError("a bug, not an outage"); // an Error: the loop survives it
          }
          handled.add(worker(event));
        };

    try (EventConsumerLoop loop = loop(topic, "poison", handler).start()) {
      await(() -> handled.contains("after") && loop.status().failures() == 0);
      ConsumerStatus status = loop.status();
      assertThat(status.alive()).isTrue();
      assertThat(status.deadLettered()).isEqualTo(1);
    }
    assertThat(handled).containsExactly("before", "after");
    assertThat(poisonAttempts).hasValue(3);
    ConsumerRecord<String, byte[]> letter = deadLetters(topic).get(0);
    assertThat(header(letter, EventConsumerLoop.REASON_HEADER))
        .isEqualTo(
            "the handler failed 3 times, lastly: java.lang.AssertionError: a bug, not an outage");
    assertThat(header(letter, EventConsumerLoop.SOURCE_HEADER))
        .isEqualTo(topic.topicName() + "/0@1");
  }

  @Test
  void shouldRetryThroughAnOutageForAsLongAsItLastsAndDeadLetterNothing() throws Exception {
    Topic topic = Topic.COMPLETIONS;
    send(topic, 0, "waits-for-the-database");
    AtomicInteger outageLeft = new AtomicInteger(8); // far more than the 3 attempts
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Integer> failuresSeen = new CopyOnWriteArrayList<>();
    EventConsumerLoop[] self = new EventConsumerLoop[1];
    Consumer<PlatformEvent> handler =
        event -> {
          failuresSeen.add(self[0].status().failures());
          if (outageLeft.getAndDecrement() > 0) {
            throw new IllegalStateException(
                "could not store", new SQLException("Connection refused", "08001"));
          }
          handled.add(worker(event));
        };

    try (EventConsumerLoop loop = loop(topic, "outage", handler)) {
      self[0] = loop;
      loop.start();
      await(() -> !handled.isEmpty());
      await(() -> loop.status().failures() == 0);
      assertThat(loop.status().deadLettered()).isZero();
    }
    assertThat(handled).containsExactly("waits-for-the-database");
    assertThat(failuresSeen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void shouldKeepConsumingWhenHandlingAPollOutlastsThePollIntervalAndItsCommitIsRefused()
      throws Exception {
    Topic topic = Topic.WORKERS;
    for (int i = 0; i < 5; i++) send(topic, 0, "slow-" + i);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger slowLeft = new AtomicInteger(1);
    Consumer<PlatformEvent> handler =
        event -> {
          if (slowLeft.getAndDecrement() > 0) sleep(Duration.ofSeconds(3));
          handled.add(worker(event));
        };
    ConsumerSettings shortInterval = QUICK.withMaxPollInterval(Duration.ofSeconds(1));

    try (EventConsumerLoop loop =
        new EventConsumerLoop(servers(), "slow", List.of(topic), handler, shortInterval).start()) {
      // The group drops the member while it handles; its commit is refused and it polls again.
      await(() -> loop.status().failures() > 0);
      assertThat(loop.status().lastFailure()).containsIgnoringCase("commit");
      send(topic, 0, "after-the-rebalance");
      await(() -> handled.contains("after-the-rebalance"));
      assertThat(loop.status().alive()).isTrue();
    }
    assertThat(handled).contains("slow-0", "slow-1", "slow-2", "slow-3", "slow-4");
  }

  private static EventConsumerLoop loop(
      Topic topic, String group, Consumer<PlatformEvent> handler) {
    return new EventConsumerLoop(servers(), group, List.of(topic), handler, QUICK);
  }

  private static String servers() {
    return kafka.bootstrapServers();
  }

  private static void send(Topic topic, int partition, String worker) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    var event =
        new WorkerHeartbeatReported(
            UUID.randomUUID(), Instant.now(), worker, "reward-trainer", "cpu", Instant.now());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(topic.topicName(), partition, worker, EventCodec.encode(event)))
          .get();
    }
  }

  private static String worker(PlatformEvent event) {
    return ((WorkerHeartbeatReported) event).workerId();
  }

  private static List<ConsumerRecord<String, byte[]>> deadLetters(Topic topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.deadLetterTopicName()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
      }
    }
    return seen;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out");
      Thread.sleep(20);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
