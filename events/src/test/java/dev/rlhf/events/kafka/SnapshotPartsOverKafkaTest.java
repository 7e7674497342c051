package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A training command for a snapshot of 30,000 labels, through a broker with the default limits:
 * whole, the producer refuses it; in parts, every record goes through and the trainer's side puts
 * the same command back together.
 */
class SnapshotPartsOverKafkaTest {

  @Test
  void shouldCarryASnapshotOfThirtyThousandLabelsThroughTheBrokerInParts() throws Exception {
    TrainingRunRequested command =
        new TrainingRunRequested(
            UUID.randomUUID(),
            Instant.parse("2026-12-07T08:00:00Z"),
            UUID.randomUUID(),
            UUID.randomUUID(),
            TrainingStage.SFT,
            "base-1",
            null,
            null,
            IntStream.range(0, 30_000).mapToObj(i -> UUID.randomUUID()).toList(),
            null,
            null);
    List<PlatformEvent> records = TrainingSnapshotPart.split(command);
    assertThat(records).hasSize(4);

    try (EmbeddedKafka kafka = EmbeddedKafka.startForTests();
        EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), "cycles")) {
      assertThatThrownBy(() -> publisher.publish(command).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class);
      for (PlatformEvent record : records) publisher.publishAndWait(record);

      List<TrainingSnapshotPart> parts = new ArrayList<>();
      TrainingRunRequested received = null;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(Topic.TRAINING_COMMANDS.topicName()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received == null && System.nanoTime() < deadline) {
          for (var r : consumer.poll(Duration.ofMillis(300))) {
            PlatformEvent event = EventCodec.decode(r.value());
            if (event instanceof TrainingSnapshotPart part) {
              parts.add(part);
            } else if (event instanceof TrainingRunRequested c) {
              // The parts come first: same key, same partition, published before the command.
              assertThat(parts).hasSize(3);
              received = c;
            }
          }
        }
      }
      assertThat(received).isNotNull();
      assertThat(TrainingSnapshotPart.assemble(received, parts)).isEqualTo(Optional.of(command));
    }
  }
}
