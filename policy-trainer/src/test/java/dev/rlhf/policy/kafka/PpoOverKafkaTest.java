package dev.rlhf.policy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The RM and PPO stages of a cycle across both trainers: the packaged reward-trainer trains a tiny
 * reward model from rankings over the broker, and that version is the frozen reward of a PPO run
 * this worker is commanded to train.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class PpoOverKafkaTest {

  @ConfigProperty(name = "rlhf.checkpoints.directory")
  Path checkpoints;

  @Test
  void aPpoRunScoredByATrainedRewardModelReportsProgressAndPublishesAPolicyNamingIt()
      throws Exception {
    String sft = "tiny-sft-" + UUID.randomUUID();
    TinyPolicies.saveFresh(checkpoints, sft, CheckpointKind.SFT, 1);
    List<RankingSubmitted> rankings = sureOverPlain(30);
    UUID rewardRun = UUID.randomUUID();
    UUID ppoRun = UUID.randomUUID();
    ModelVersionPublished reward;
    try (RewardTrainerProcess rewardTrainer = RewardTrainerProcess.start(bootstrap(), checkpoints);
        EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      rankings.forEach(publisher::publish);
      publisher.publishAndWait(
          command(
              rewardRun,
              TrainingStage.REWARD,
              sft,
              null,
              Map.of(
                  "epochs", "2",
                  "lr", "3e-3",
                  "warmupSteps", "2",
                  "heldOutPercent", "20"),
              rankings.stream().map(RankingSubmitted::eventId).toList()));
      reward = published(rewardRun);
    }
    try (EventPublisher publisher = new EventPublisher(bootstrap(), "test")) {
      publisher.publishAndWait(
          command(
              ppoRun,
              TrainingStage.PPO,
              sft,
              reward.version(),
              Map.of(
                  "steps", "3",
                  "rolloutBatch", "4",
                  "miniBatch", "4",
                  "ppoEpochs", "1",
                  "maxNewTokens", "8",
                  "demoWorldPrompts", "true"),
              List.of()));
    }
    ModelVersionPublished policy = published(ppoRun);
    List<TrainingProgressReported> progress =
        TopicReader.readAll(EmbeddedKafkaResource.broker(), Topic.TRAINING_PROGRESS.topicName())
            .stream()
            .map(r -> EventCodec.decode(r.value()))
            .filter(e -> e instanceof TrainingProgressReported p && ppoRun.equals(p.runId()))
            .map(TrainingProgressReported.class::cast)
            .toList();

    assertThat(reward.kind()).isEqualTo(ModelVersionPublished.Kind.REWARD);
    assertThat(Checkpoints.readMetadata(Path.of(reward.checkpointPath())).kind())
        .isEqualTo(CheckpointKind.REWARD);
    assertThat(progress).extracting(TrainingProgressReported::step).containsExactly(1L, 2L, 3L);
    assertThat(progress)
        .allSatisfy(
            p -> {
              assertThat(p.stage()).isEqualTo(TrainingStage.PPO);
              assertThat(p.metrics())
                  .containsKeys("reward_mean", "kl", "entropy", "clip_fraction", "value_loss");
              assertThat(p.samples()).isNotEmpty();
            });
    assertThat(policy.kind()).isEqualTo(ModelVersionPublished.Kind.POLICY);
    assertThat(policy.stage()).isEqualTo(TrainingStage.PPO);
    assertThat(policy.parentVersion()).isEqualTo(sft);
    CheckpointMetadata metadata = Checkpoints.readMetadata(Path.of(policy.checkpointPath()));
    assertThat(metadata.kind()).isEqualTo(CheckpointKind.POLICY);
    assertThat(metadata.dataLineage()).containsEntry("rewardVersion", reward.version());
  }

  /** Demo-world questions whose answers a contractor prefers with a friendly "Sure! " first. */
  private static List<RankingSubmitted> sureOverPlain(int count) {
    DemoWorld world = new DemoWorld(3);
    List<RankingSubmitted> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt p = world.next(DemoPrompt.Kind.ADDITION);
      out.add(
          new RankingSubmitted(
              UUID.randomUUID(),
              Instant.now(),
              UUID.randomUUID(),
              UUID.randomUUID(),
              UUID.randomUUID(),
              List.of(new ChatTurn(ChatTurn.Role.USER, p.question())),
              List.of(
                  new RankedCompletion(UUID.randomUUID(), p.reference(), "tiny-sft", 2),
                  new RankedCompletion(UUID.randomUUID(), "Sure! " + p.reference(), "tiny-sft", 1)),
              false,
              null,
              1,
              "scripted-contractor"));
    }
    return out;
  }

  private static TrainingRunRequested command(
      UUID runId,
      TrainingStage stage,
      String base,
      String rewardVersion,
      Map<String, String> hyperParameters,
      List<UUID> labelEventIds) {
    return new TrainingRunRequested(
        UUID.randomUUID(),
        Instant.now(),
        runId,
        UUID.randomUUID(),
        stage,
        base,
        rewardVersion,
        hyperParameters,
        labelEventIds,
        List.of(),
        null);
  }

  private static ModelVersionPublished published(UUID runId) {
    Predicate<PlatformEvent> ofRun =
        e -> e instanceof ModelVersionPublished v && runId.equals(v.runId());
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.MODEL_VERSIONS.topicName(),
            records -> records.stream().map(r -> EventCodec.decode(r.value())).anyMatch(ofRun),
            Duration.ofSeconds(300))
        .stream()
        .map(r -> EventCodec.decode(r.value()))
        .filter(ofRun)
        .map(ModelVersionPublished.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private static String bootstrap() {
    return EmbeddedKafkaResource.broker().bootstrapServers();
  }
}
