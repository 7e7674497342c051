package dev.rlhf.policy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import dev.rlhf.training.preferences.Rankings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DpoOverKafkaTest {

  @ConfigProperty(name = "rlhf.checkpoints.directory")
  Path checkpoints;

  @Test
  void aDpoCommandLearnsFromItsRankingsReportsEveryStepAndPublishesAPolicyVersion() {
    String sft = "tiny-sft-" + UUID.randomUUID();
    TinyPolicies.saveFresh(checkpoints, sft, CheckpointKind.SFT, 1);
    List<RankingSubmitted> rankings = Rankings.politeOverRude(24, 6);
    // The platform's snapshot of a DPO stage names the demonstrations too, for the ptx term.
    List<DemonstrationSubmitted> demonstrations = TinyPolicies.demonstrations(8, "", 6);
    List<UUID> snapshot =
        java.util.stream.Stream.concat(
                rankings.stream().map(RankingSubmitted::eventId),
                demonstrations.stream().map(DemonstrationSubmitted::eventId))
            .toList();
    UUID runId = UUID.randomUUID();
    try (EventPublisher publisher =
        new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test")) {
      rankings.forEach(publisher::publishAndWait);
      demonstrations.forEach(publisher::publishAndWait);
      publisher.publishAndWait(
          new TrainingRunRequested(
              UUID.randomUUID(),
              Instant.now(),
              runId,
              UUID.randomUUID(),
              TrainingStage.DPO,
              sft,
              null,
              Map.of(
                  "epochs", "2",
                  "promptsPerBatch", "8",
                  "lr", "3e-3",
                  "heldOutPercent", "25.0",
                  "evalEvery", "2",
                  "maxNewTokens", "8"),
              snapshot,
              List.of(),
              null));
    }

    ModelVersionPublished published =
        (ModelVersionPublished)
            events(
                    Topic.MODEL_VERSIONS,
                    e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()))
                .stream()
                .filter(e -> e instanceof ModelVersionPublished v && runId.equals(v.runId()))
                .findFirst()
                .orElseThrow();
    List<TrainingProgressReported> progress =
        events(Topic.TRAINING_PROGRESS, e -> true).stream()
            .filter(e -> e instanceof TrainingProgressReported p && p.runId().equals(runId))
            .map(e -> (TrainingProgressReported) e)
            .toList();

    assertThat(progress)
        .extracting(TrainingProgressReported::stage)
        .containsOnly(TrainingStage.DPO);
    long steps = progress.get(progress.size() - 1).totalSteps();
    assertThat(progress)
        .extracting(TrainingProgressReported::step)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, steps).boxed().toList());
    assertThat(progress)
        .allMatch(p -> p.metrics().containsKey(TrainingMetrics.LOGP_CHOSEN))
        .allMatch(p -> p.metrics().containsKey(TrainingMetrics.PTX_LOSS))
        .anyMatch(p -> p.metrics().containsKey(TrainingMetrics.HELDOUT_ACCURACY));
    assertThat(published.kind()).isEqualTo(ModelVersionPublished.Kind.POLICY);
    assertThat(published.stage()).isEqualTo(TrainingStage.DPO);
    assertThat(published.parentVersion()).isEqualTo(sft);
    assertThat(published.labelEventIds()).containsExactlyElementsOf(snapshot);
    assertThat(published.metrics())
        .containsKeys(TrainingMetrics.HELDOUT_ACCURACY, TrainingMetrics.KL);
    // The same evaluation as every policy version: against its SFT parent on held-out prompts
    // (here the held-out pairs' prompts; no reward model judges, so it cannot pass by itself).
    assertThat(published.evaluation()).isNotNull();
    assertThat(published.evaluation().parentVersion()).isEqualTo(sft);
    assertThat(published.evaluation().prompts()).isPositive();
    assertThat(published.evaluation().reasons()).isNotEmpty();
    assertThat(Checkpoints.readMetadata(Path.of(published.checkpointPath())).kind())
        .isEqualTo(CheckpointKind.POLICY);
  }

  private static List<PlatformEvent> events(Topic topic, Predicate<PlatformEvent> until) {
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
