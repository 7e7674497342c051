package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingStage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecidedEventTest {

  @TempDir Path runDirectory;

  @Test
  void shouldKeepSendingTheEndOfARunThroughABrokerOutageAndKeepItForARestart() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.startForTests();
    TrainingRunFailed earlier = failure("out of memory");
    TrainingRunFailed end = failure("loss became NaN");
    // Each try gives up after 2 s, so the outage spans several tries.
    try (EventPublisher publisher =
        new EventPublisher(kafka.bootstrapServers(), "decided", Duration.ofSeconds(2))) {
      publisher.publishAndWait(earlier); // the topic exists, as on a running platform
      kafka.close();
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> DecidedEvent.publish(publisher, runDirectory, end, () -> false));
      Thread.sleep(6_000);
      assertThat(sending).isNotDone();
      assertThat(DecidedEvent.find(runDirectory)).contains(end);
      kafka = kafka.restart();
      sending.get(60, TimeUnit.SECONDS);
    }
    try {
      assertThat(copiesOnTheTopic(kafka, end.eventId())).isEqualTo(1);
    } finally {
      kafka.close();
    }
  }

  private static TrainingRunFailed failure(String reason) {
    return new TrainingRunFailed(
        UUID.randomUUID(),
        Instant.now(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        TrainingStage.SFT,
        reason);
  }

  private static long copiesOnTheTopic(EmbeddedKafka kafka, UUID eventId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<UUID> seen = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topic.TRAINING_PROGRESS.topicName()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(300))
            .forEach(r -> seen.add(EventCodec.decode(r.value()).eventId()));
      }
    }
    return seen.stream().filter(eventId::equals).count();
  }
}
