package dev.rlhf.launcher;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every event on a topic now, all partitions from their start, copies included. */
final class TopicRecords {

  private TopicRecords() {}

  static List<PlatformEvent> all(String bootstrapServers, Topic topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<PlatformEvent> events = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer
            .poll(Duration.ofMillis(500))
            .forEach(
                r -> {
                  try {
                    events.add(EventCodec.decode(r.value()));
                  } catch (MalformedEventException ignored) {
                    // not an event of ours
                  }
                });
      }
    }
    return events;
  }
}
