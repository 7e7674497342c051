package dev.rlhf.runtime.kafka;

import dev.rlhf.events.kafka.KafkaClientSecurity;
import dev.rlhf.runtime.config.KafkaSettings;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reading a whole topic from its beginning, as each runtime replica does for the state it keeps in
 * memory (the model versions, the issued keys): a consumer without a group, so every replica reads
 * everything, and only committed records.
 */
public final class TopicReplay {

  private TopicReplay() {}

  /** A consumer of committed records that belongs to no group and commits nothing. */
  public static KafkaConsumer<String, byte[]> consumer(KafkaSettings kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaClientSecurity.apply(p);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Assigns every partition of {@code topic} to {@code consumer} at its beginning, asking again
   * while the broker cannot be reached (logging {@code whileUnreachable}); the partitions, or none
   * when {@code running} turned false first.
   */
  public static List<TopicPartition> fromBeginning(
      KafkaConsumer<String, byte[]> consumer,
      String topic,
      BooleanSupplier running,
      String whileUnreachable) {
    List<TopicPartition> partitions = List.of();
    while (running.getAsBoolean() && partitions.isEmpty()) {
      try {
        partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
      } catch (TimeoutException e) {
        Log.warnf("cannot reach Kafka for %s yet; %s", topic, whileUnreachable);
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }
}
