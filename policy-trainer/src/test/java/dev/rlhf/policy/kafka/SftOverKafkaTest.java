package dev.rlhf.policy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class SftOverKafkaTest {

  @ConfigProperty(name = "rlhf.checkpoints.directory")
  Path checkpoints;

  @Test
  void anSftCommandTrainsOnItsSnapshotInPartsReportsProgressAndPublishesAPolicyVersion() {
    String base = "tiny-base-" + UUID.randomUUID();
    TinyPolicies.saveFresh(checkpoints, base, CheckpointKind.BASE, 1);
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(12, "Sure! ", 2);
    UUID runId = UUID.randomUUID();
    List<UUID> snapshot =
        demos.subList(0, 10).stream().map(DemonstrationSubmitted::eventId).toList();
    TrainingRunRequested command =
        new TrainingRunRequested(
            UUID.randomUUID(),
            Instant.now(),
            runId,
            UUID.randomUUID(),
            TrainingStage.SFT,
            base,
            null,
            Map.of("steps", "20", "batch", "4", "evalEvery", "10"),
            snapshot,
            List.of(),
            null);
    // The snapshot travels in three parts before the command, as a large one does.
    List<PlatformEvent> records = TrainingSnapshotPart.split(command, 4, 1);
    assertThat(records).hasSize(4);
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      demos.forEach(publisher::publishAndWait);
      records.forEach(publisher::publishAndWait);
    }

    List<PlatformEvent> progress =
        events(
            Topic.TRAINING_PROGRESS,
            e ->
                e instanceof TrainingProgressReported p
                    && p.runId().equals(runId)
                    && p.step() == 20);
    ModelVersionPublished published =
        (ModelVersionPublished)
            first(
                Topic.MODEL_VERSIONS,
                e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()));

    assertThat(progress)
        .filteredOn(e -> e instanceof TrainingProgressReported p && p.runId().equals(runId))
        .extracting(e -> ((TrainingProgressReported) e).metrics().keySet())
        .allMatch(keys -> keys.contains("val_loss"));
    assertThat(published.kind()).isEqualTo(ModelVersionPublished.Kind.POLICY);
    assertThat(published.stage()).isEqualTo(TrainingStage.SFT);
    assertThat(published.labelEventIds()).containsExactlyElementsOf(snapshot);
    assertThat(published.parentVersion()).isEqualTo(base);
    assertThat(published.metrics()).containsKeys("val_loss", "initial_val_loss");
    assertThat(Checkpoints.readMetadata(Path.of(published.checkpointPath())).kind())
        .isEqualTo(CheckpointKind.SFT);
    assertThat(checkpoints.resolve("policy-trainer/snapshot-parts").resolve(runId.toString()))
        .doesNotExist();
  }

  @Test
  void aCommandWhoseSnapshotPartsNeverArrivedFailsSayingSo() {
    UUID runId = UUID.randomUUID();
    List<UUID> snapshot = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    TrainingRunRequested whole =
        new TrainingRunRequested(
            UUID.randomUUID(),
            // Sent long ago: the wait for the missing parts is over.
            Instant.now().minus(Duration.ofHours(1)),
            runId,
            UUID.randomUUID(),
            TrainingStage.SFT,
            "tiny-base",
            null,
            Map.of(),
            snapshot,
            List.of(),
            null);
    List<PlatformEvent> records = TrainingSnapshotPart.split(whole, 1, 1);
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishAndWait(records.get(1));
      publisher.publishAndWait(records.get(3));
    }

    TrainingRunFailed failed =
        (TrainingRunFailed)
            first(
                Topic.TRAINING_PROGRESS,
                e -> e instanceof TrainingRunFailed f && runId.equals(f.runId()));

    assertThat(failed.reason())
        .startsWith("2 of the 3 parts of the run's label snapshot did not arrive");
    assertThat(checkpoints.resolve("policy-trainer/snapshot-parts").resolve(runId.toString()))
        .doesNotExist();
  }

  @Test
  void aCancelledRunStopsPromptlyPublishesNoVersionAndReportsTheCancellation() {
    String base = "tiny-base-" + UUID.randomUUID();
    TinyPolicies.saveFresh(checkpoints, base, CheckpointKind.BASE, 1);
    List<DemonstrationSubmitted> demos = TinyPolicies.demonstrations(10, "Sure! ", 5);
    UUID runId = UUID.randomUUID();
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      demos.forEach(publisher::publishAndWait);
      // A hundred thousand steps: only the cancellation can end this run within the test.
      publisher.publishAndWait(
          new TrainingRunRequested(
              UUID.randomUUID(),
              Instant.now(),
              runId,
              UUID.randomUUID(),
              TrainingStage.SFT,
              base,
              null,
              Map.of("steps", "100000", "batch", "4", "evalEvery", "1"),
              demos.stream().map(DemonstrationSubmitted::eventId).toList(),
              List.of(),
              null));
      events(
          Topic.TRAINING_PROGRESS,
          e -> e instanceof TrainingProgressReported p && p.runId().equals(runId));
      publisher.publishAndWait(
          new TrainingRunCancelled(UUID.randomUUID(), Instant.now(), runId, "cancelled by ada"));
    }

    TrainingRunFailed stopped =
        (TrainingRunFailed)
            first(
                Topic.TRAINING_PROGRESS,
                e -> e instanceof TrainingRunFailed f && f.runId().equals(runId));

    assertThat(stopped.reason())
        .startsWith("cancelled after SFT step ")
        .endsWith(" of 100000: cancelled by ada");
    assertThat(
            TopicReader.readAll(EmbeddedKafkaResource.broker(), Topic.MODEL_VERSIONS.topicName()))
        .extracting(r -> EventCodec.decode(r.value()))
        .noneMatch(e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()));
    String version = "policy-sft-" + runId;
    assertThat(checkpoints.resolve(version)).doesNotExist();
  }

  @Test
  void aMalformedDemonstrationIsDeadLetteredWithItsReason() {
    String json =
        EventCodec.toJson(TinyPolicies.demonstration("Hi?", "Hello."))
            .replace("\"response\":\"Hello.\"", "\"response\":\"  \"");
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishJson(
          Topic.DEMONSTRATIONS.topicName(),
          "k",
          UUID.randomUUID().toString(),
          "DemonstrationSubmitted",
          json.getBytes(StandardCharsets.UTF_8));
      publisher.flush();
    }
    List<ConsumerRecord<String, byte[]>> dead =
        TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.DEMONSTRATIONS.deadLetterTopicName(),
            records -> !records.isEmpty(),
            Duration.ofSeconds(60));
    String reason =
        new String(
            dead.get(0).headers().lastHeader(EventConsumerLoop.REASON_HEADER).value(),
            StandardCharsets.UTF_8);
    assertThat(reason).contains("response");
  }

  private static String bootstrap() {
    return EmbeddedKafkaResource.broker().bootstrapServers();
  }

  /** The first event on the topic that matches, once it is there. */
  private static PlatformEvent first(
      Topic topic, java.util.function.Predicate<PlatformEvent> wanted) {
    return events(topic, wanted).stream().filter(wanted).findFirst().orElseThrow();
  }

  private static List<PlatformEvent> events(
      Topic topic, java.util.function.Predicate<PlatformEvent> until) {
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            topic.topicName(),
            records -> records.stream().map(r -> EventCodec.decode(r.value())).anyMatch(until),
            Duration.ofSeconds(240))
        .stream()
        .map(r -> EventCodec.decode(r.value()))
        .toList();
  }
}
