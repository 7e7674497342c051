package dev.rlhf.labeling;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.testing.EmbeddedKafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, as a downstream consumer (a trainer) would. */
final class TopicReader {

  private TopicReader() {}

  /** Every event on the topic matching the filter, reading for up to {@code within}. */
  static List<PlatformEvent> read(
      Topic topic, Predicate<PlatformEvent> filter, Duration within, int enough) {
    Properties p = new Properties();
    p.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaResource.broker().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<PlatformEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.topicName()));
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline && found.size() < enough) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          PlatformEvent event = EventCodec.decode(record.value());
          if (filter.test(event)) found.add(event);
        }
      }
    }
    return found;
  }
}
