package dev.rlhf.runtime.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.reward.RewardScorer;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.RuntimeApi;
import dev.rlhf.runtime.TinyCheckpoints;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A completion request that names a reward model gets its completions scored by it and by its check
 * model, over the real broker with real checkpoints.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
@QuarkusTestResource(TinyCheckpoints.class)
class RewardScoredRequestsTest {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String QUESTION = "What is 2 + 3?";
  private static EventPublisher publisher;

  @BeforeAll
  static void connect() {
    publisher = new EventPublisher(EmbeddedKafkaResource.broker().bootstrapServers(), "test");
  }

  @AfterAll
  static void disconnect() {
    publisher.close();
  }

  @BeforeEach
  void ready() {
    RuntimeApi.awaitReady();
  }

  @Test
  void shouldScoreEachCompletionWithTheNamedRewardModelAndItsCheckModel() {
    CompletionsRequested request = request(TinyCheckpoints.REWARD);

    publisher.publishAndWait(request);

    CompletionsGenerated answer = answerTo(request.requestId());
    List<String> texts =
        answer.completions().stream().map(CompletionsGenerated.GeneratedCompletion::text).toList();
    assertThat(answer.rewardVersion()).isEqualTo(TinyCheckpoints.REWARD);
    assertThat(answer.rewardScores()).hasSize(texts.size());
    assertThat(answer.checkRewardScores()).hasSize(texts.size());
    // The scores are the checkpoints' own: the same texts scored here, outside the runtime.
    List<Turn> conversation = List.of(Turn.user(QUESTION));
    java.nio.file.Path reward = TinyCheckpoints.checkpoint(TinyCheckpoints.REWARD);
    assertScores(answer.rewardScores(), reward, conversation, texts);
    assertScores(answer.checkRewardScores(), reward.resolve("check"), conversation, texts);
    assertThat(answer.rewardScores()).isNotEqualTo(answer.checkRewardScores());
  }

  @Test
  void shouldSendTheCompletionsUnscoredWhenTheRewardModelCannotBeLoaded() {
    CompletionsRequested unknown = request("no-such-reward-model");
    CompletionsRequested notReward = request(TinyCheckpoints.V2);
    CompletionsRequested none = request(null);

    publisher.publishAndWait(unknown);
    publisher.publishAndWait(notReward);
    publisher.publishAndWait(none);

    for (CompletionsRequested request : List.of(unknown, notReward, none)) {
      CompletionsGenerated answer = answerTo(request.requestId());
      assertThat(answer.completions()).hasSize(2);
      assertThat(answer.scored()).isFalse();
      assertThat(answer.rewardVersion()).isNull();
      assertThat(answer.checkRewardScores()).isEmpty();
    }
  }

  private static void assertScores(
      List<Double> scores,
      java.nio.file.Path checkpoint,
      List<Turn> conversation,
      List<String> texts) {
    try (RewardScorer scorer = RewardScorer.load(checkpoint, Device.cpu())) {
      double[] expected = scorer.score(conversation, texts);
      for (int i = 0; i < texts.size(); i++) {
        // One batch there, another here: BLAS may sum in another order.
        assertThat(scores.get(i)).isCloseTo(expected[i], within(1e-4));
      }
    }
  }

  private static CompletionsRequested request(String rewardVersion) {
    return new CompletionsRequested(
        UUID.randomUUID(),
        Instant.now(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, QUESTION)),
        null,
        2,
        new SamplingSettings(1.0, 1.0, 0, 8, List.of(), 3L),
        "ranking",
        rewardVersion);
  }

  private static CompletionsGenerated answerTo(UUID requestId) {
    return TopicReader.readUntil(
            EmbeddedKafkaResource.broker(),
            Topic.COMPLETIONS.topicName(),
            records -> records.stream().anyMatch(r -> requestId.toString().equals(r.key())),
            WAIT)
        .stream()
        .filter(r -> requestId.toString().equals(r.key()))
        .map(r -> (CompletionsGenerated) EventCodec.decode(r.value()))
        .findFirst()
        .orElseThrow();
  }
}
