package dev.rlhf.testing;

import dev.rlhf.events.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what is on a topic, from the beginning, the way an outside consumer would. */
public final class TopicReader {

  private TopicReader() {}

  /** The first record on the topic; fails after 30 s without one. */
  public static ConsumerRecord<String, byte[]> first(EmbeddedKafka kafka, String topic) {
    return readUntil(kafka, topic, records -> !records.isEmpty(), Duration.ofSeconds(30)).get(0);
  }

  /**
   * Every record on the topic now: from the beginning to the end offsets at the time of the call,
   * so a test can show that something was not published.
   */
  public static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka kafka, String topic) {
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            properties(kafka), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end; saw " + seen.size());
        }
        consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
      }
    }
    return seen;
  }

  /** Every record on the topic until {@code done} holds; fails after {@code timeout}. */
  public static List<ConsumerRecord<String, byte[]>> readUntil(
      EmbeddedKafka kafka,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout) {
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            properties(kafka), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
        if (done.test(seen)) return seen;
      }
    }
    throw new AssertionError(
        "topic " + topic + " did not reach the expected state; saw " + seen.size());
  }

  private static Properties properties(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }
}
