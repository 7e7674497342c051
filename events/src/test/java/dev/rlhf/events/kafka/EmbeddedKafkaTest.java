package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir Path logDirectory;

  static WorkerHeartbeatReported heartbeat(String worker) {
    return new WorkerHeartbeatReported(
        UUID.randomUUID(), Instant.now(), worker, "reward-trainer", "cpu", Instant.now());
  }

  @Test
  void shouldDeliverEventsAndDeadLetterMalformedRecordsWithoutStopping() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startForTests();
        EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), "test")) {
      List<PlatformEvent> received = new CopyOnWriteArrayList<>();
      try (EventConsumerLoop loop =
          new EventConsumerLoop(
                  kafka.bootstrapServers(), "g1", List.of(Topic.WORKERS), received::add)
              .start()) {
        publisher.publishAndWait(heartbeat("before"));
        sendRaw(kafka, Topic.WORKERS.topicName(), "{\"type\":\"WorkerHeartbeatReported\"}");
        publisher.publishAndWait(heartbeat("after"));

        await(() -> received.size() == 2);
        assertThat(received)
            .extracting(e -> ((WorkerHeartbeatReported) e).workerId())
            .containsExactly("before", "after");
      }
      ConsumerRecord<String, byte[]> dead = readOne(kafka, Topic.WORKERS.deadLetterTopicName());
      assertThat(new String(dead.value(), StandardCharsets.UTF_8))
          .isEqualTo("{\"type\":\"WorkerHeartbeatReported\"}");
      assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value()))
          .contains("eventId");
    }
  }

  @Test
  void shouldRetryAFailingHandlerInsteadOfSkippingTheEvent() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startForTests();
        EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), "test")) {
      List<String> handled = new CopyOnWriteArrayList<>();
      int[] failuresLeft = {2};
      try (EventConsumerLoop loop =
          new EventConsumerLoop(
                  kafka.bootstrapServers(),
                  "g2",
                  List.of(Topic.WORKERS),
                  e -> {
                    if (failuresLeft[0]-- > 0) throw new IllegalStateException("database down");
                    handled.add(((WorkerHeartbeatReported) e).workerId());
                  })
              .start()) {
        publisher.publishAndWait(heartbeat("only"));
        await(() -> handled.size() == 1);
        assertThat(handled).containsExactly("only");
      }
    }
  }

  @Test
  void shouldKeepEventsAcrossARestartInRunMode() throws Exception {
    int port = EmbeddedKafka.freePort();
    int controller = EmbeddedKafka.freePort();
    WorkerHeartbeatReported event = heartbeat("kept");
    try (EmbeddedKafka kafka = EmbeddedKafka.startPersistent(logDirectory, port, controller);
        EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), "test")) {
      publisher.publishAndWait(event);
    }
    try (EmbeddedKafka restarted = EmbeddedKafka.startPersistent(logDirectory, port, controller)) {
      ConsumerRecord<String, byte[]> record = readOne(restarted, Topic.WORKERS.topicName());
      assertThat(EventCodec.decode(record.value())).isEqualTo(event);
    }
  }

  @Test
  void shouldListenOnThisMachineOnlySinceItAdmitsAnyClient() throws Exception {
    int port = EmbeddedKafka.freePort();
    int controller = EmbeddedKafka.freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.startPersistent(logDirectory, port, controller)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      InetAddress reachable = reachableAddress();
      assumeTrue(reachable != null, "this machine has no address but loopback");
      for (int listener : List.of(port, controller)) {
        assertThatThrownBy(() -> new Socket(reachable, listener).close())
            .as("port " + listener)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  /** An address other machines could reach this one at, if it has one. */
  private static InetAddress reachableAddress() throws SocketException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) continue;
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address) return address;
      }
    }
    return null;
  }

  private static void sendRaw(EmbeddedKafka kafka, String topic, String value) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", value)).get();
    }
  }

  private static ConsumerRecord<String, byte[]> readOne(EmbeddedKafka kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          return r;
        }
      }
    }
    throw new AssertionError("nothing arrived on " + topic);
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 30 s");
      Thread.sleep(50);
    }
  }
}
