package dev.rlhf.reward.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
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
import dev.rlhf.reward.Preferences;
import dev.rlhf.reward.TemporaryCheckpointsResource;
import dev.rlhf.reward.config.RewardTrainerSettings;
import dev.rlhf.reward.service.RewardTrainerService;
import dev.rlhf.reward.training.RewardRun;
import dev.rlhf.reward.training.RunDirectory;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import dev.rlhf.training.preferences.Rankings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TemporaryCheckpointsResource.class)
class RewardTrainerKafkaTest {

  @Inject RewardTrainerSettings settings;
  @Inject RewardTrainerService service;

  @Test
  void aTrainingCommandTrainsOnItsSnapshotReportsProgressAndPublishesARewardVersion() {
    Preferences.tinyBase(settings.checkpointsDirectory().resolve("tiny-sft"));
    List<RankingSubmitted> rankings = Rankings.politeOverRude(60, 21);
    List<UUID> snapshot = rankings.stream().map(RankingSubmitted::eventId).toList();
    UUID runId = UUID.randomUUID();
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      rankings.forEach(publisher::publish);
      publisher.publishAndWait(command(runId, snapshot, Map.of("epochs", "2")));
    }

    var version =
        (ModelVersionPublished)
            await(
                Topic.MODEL_VERSIONS,
                e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()));
    List<TrainingProgressReported> progress =
        read(Topic.TRAINING_PROGRESS, runId).stream()
            .map(TrainingProgressReported.class::cast)
            .toList();

    assertThat(version.kind()).isEqualTo(ModelVersionPublished.Kind.REWARD);
    assertThat(version.labelEventIds()).containsExactlyElementsOf(snapshot);
    assertThat(version.metrics()).containsKeys("heldout_accuracy", "heldout_loss");
    assertThat(Path.of(version.checkpointPath())).startsWith(settings.checkpointsDirectory());
    assertThat(Checkpoints.readMetadata(Path.of(version.checkpointPath())).kind())
        .isEqualTo(CheckpointKind.REWARD);
    assertThat(progress).isNotEmpty();
    assertThat(progress).extracting(TrainingProgressReported::step).isSorted();
    assertThat(progress.stream().filter(p -> p.metrics().containsKey("loss")))
        .allSatisfy(p -> assertThat(p.metrics()).containsKeys("loss", "accuracy"));
  }

  @Test
  void aCancelledRunStopsPromptlyPublishesNoVersionAndReportsTheCancellation()
      throws InterruptedException {
    Preferences.tinyBase(settings.checkpointsDirectory().resolve("tiny-sft"));
    List<RankingSubmitted> rankings = Rankings.politeOverRude(60, 31);
    List<UUID> snapshot = rankings.stream().map(RankingSubmitted::eventId).toList();
    UUID runId = UUID.randomUUID();
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      rankings.forEach(publisher::publish);
      // Thousands of steps: only the cancellation can end this run within the test.
      publisher.publishAndWait(
          command(
              runId, snapshot, Map.of("epochs", "1000", "patience", "1000", "progressEvery", "1")));
      await(
          Topic.TRAINING_PROGRESS,
          e -> e instanceof TrainingProgressReported p && runId.equals(p.runId()));
      publisher.publishAndWait(
          new TrainingRunCancelled(UUID.randomUUID(), Instant.now(), runId, "cancelled by ada"));
    }

    var stopped =
        (TrainingRunFailed)
            await(
                Topic.TRAINING_PROGRESS,
                e -> e instanceof TrainingRunFailed f && runId.equals(f.runId()));
    List<TrainingProgressReported> progress =
        read(Topic.TRAINING_PROGRESS, runId).stream()
            .map(TrainingProgressReported.class::cast)
            .toList();

    assertThat(stopped.reason()).startsWith("cancelled after step ").endsWith(": cancelled by ada");
    assertThat(progress)
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.step()).isLessThan(p.totalSteps()));
    assertThat(
            TopicReader.readAll(EmbeddedKafkaResource.broker(), Topic.MODEL_VERSIONS.topicName()))
        .extracting(r -> EventCodec.decode(r.value()))
        .noneMatch(e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()));
    assertThat(settings.checkpointsDirectory().resolve("reward-" + runId)).doesNotExist();
    RunDirectory run =
        new RunDirectory(
            RewardRun.runsDirectory(RewardRun.stateDirectory(settings.checkpointsDirectory(), null))
                .resolve(runId.toString()));
    // The outcome is recorded just after the report.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (run.outcome().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
    assertThat(run.outcome().orElseThrow().status()).isEqualTo("CANCELLED");
  }

  @Test
  void aSnapshotSentInPartsTrainsOnEveryLabelOfEveryPart() {
    Preferences.tinyBase(settings.checkpointsDirectory().resolve("tiny-sft"));
    List<RankingSubmitted> rankings = Rankings.politeOverRude(60, 41);
    List<UUID> snapshot = rankings.stream().map(RankingSubmitted::eventId).toList();
    UUID runId = UUID.randomUUID();
    List<PlatformEvent> records =
        TrainingSnapshotPart.split(command(runId, snapshot, Map.of("epochs", "1")), 25, 100);
    assertThat(records).hasSize(4); // three parts of at most 25, then the command
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      rankings.forEach(publisher::publish);
      records.forEach(publisher::publishAndWait);
    }

    var version =
        (ModelVersionPublished)
            await(
                Topic.MODEL_VERSIONS,
                e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()));

    assertThat(version.labelEventIds()).containsExactlyElementsOf(snapshot);
    assertThat(
            settings
                .checkpointsDirectory()
                .resolve("reward-trainer/snapshot-parts")
                .resolve(runId.toString()))
        .doesNotExist();
  }

  @Test
  void aCommandWhoseSnapshotPartsNeverArrivedFailsSayingSo() {
    UUID runId = UUID.randomUUID();
    TrainingRunRequested whole =
        command(runId, List.of(UUID.randomUUID(), UUID.randomUUID()), Map.of());
    List<PlatformEvent> records = TrainingSnapshotPart.split(whole, 1, 1);
    var sent = (TrainingRunRequested) records.get(2);
    // Sent long ago: the wait for the missing part is over.
    var late =
        new TrainingRunRequested(
            sent.eventId(),
            Instant.now().minus(Duration.ofHours(1)),
            runId,
            sent.cycleId(),
            sent.stage(),
            sent.baseVersion(),
            null,
            sent.hyperParameters(),
            List.of(),
            List.of(),
            null,
            List.of(),
            sent.snapshotParts());
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishAndWait(records.get(0));
      publisher.publishAndWait(late);
    }

    var failed =
        (TrainingRunFailed)
            await(
                Topic.TRAINING_PROGRESS,
                e -> e instanceof TrainingRunFailed f && runId.equals(f.runId()));

    assertThat(failed.reason())
        .startsWith("1 of the 2 parts of the run's label snapshot did not arrive");
  }

  @Test
  void aSnapshotWithUnknownEventsPublishesTheFailureWithItsReason() {
    UUID runId = UUID.randomUUID();
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishAndWait(command(runId, List.of(UUID.randomUUID()), Map.of()));
    }

    var failed =
        (TrainingRunFailed)
            await(
                Topic.TRAINING_PROGRESS,
                e -> e instanceof TrainingRunFailed f && runId.equals(f.runId()));

    assertThat(failed.reason()).contains("not yet received");
  }

  @Test
  void aMalformedRankingIsDeadLetteredWithTheReasonAndIngestionGoesOn() throws Exception {
    RankingSubmitted good = Rankings.politeOverRude(1, 99).get(0);
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishJson(
          Topic.RANKINGS.topicName(),
          "k",
          UUID.randomUUID().toString(),
          "RankingSubmitted",
          "{\"type\":\"RankingSubmitted\",\"eventId\":\"not-a-uuid\"}"
              .getBytes(StandardCharsets.UTF_8));
      publisher.publishAndWait(good);
    }

    ConsumerRecord<String, byte[]> dead =
        TopicReader.first(EmbeddedKafkaResource.broker(), Topic.RANKINGS.deadLetterTopicName());
    String reason =
        new String(
            dead.headers().lastHeader(EventConsumerLoop.REASON_HEADER).value(),
            StandardCharsets.UTF_8);
    assertThat(reason).isNotBlank();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!service.store().missing(List.of(good.eventId())).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(service.store().missing(List.of(good.eventId()))).isEmpty();
  }

  private static TrainingRunRequested command(
      UUID runId, List<UUID> snapshot, Map<String, String> overrides) {
    Map<String, String> hyper = new java.util.HashMap<>(Preferences.tinyHyperParameters());
    hyper.putAll(overrides);
    return new TrainingRunRequested(
        UUID.randomUUID(),
        Instant.now(),
        runId,
        UUID.randomUUID(),
        TrainingStage.REWARD,
        "tiny-sft",
        null,
        hyper,
        snapshot,
        List.of(),
        null);
  }

  private static String bootstrap() {
    return EmbeddedKafkaResource.broker().bootstrapServers();
  }

  private static PlatformEvent await(Topic topic, Predicate<PlatformEvent> wanted) {
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            topic.topicName(),
            records -> records.stream().map(r -> EventCodec.decode(r.value())).anyMatch(wanted),
            Duration.ofSeconds(150))
        .stream()
        .map(r -> EventCodec.decode(r.value()))
        .filter(wanted)
        .findFirst()
        .orElseThrow();
  }

  private static List<PlatformEvent> read(Topic topic, UUID runId) {
    Predicate<PlatformEvent> ofRun =
        e -> e instanceof TrainingProgressReported p && runId.equals(p.runId());
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            topic.topicName(),
            records -> records.stream().map(r -> EventCodec.decode(r.value())).anyMatch(ofRun),
            Duration.ofSeconds(30))
        .stream()
        .map(r -> EventCodec.decode(r.value()))
        .filter(ofRun)
        .toList();
  }
}
