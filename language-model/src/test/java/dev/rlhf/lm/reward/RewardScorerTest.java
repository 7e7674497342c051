package dev.rlhf.lm.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Turn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardScorerTest {

  private static final List<Turn> QUESTION = List.of(Turn.user("What is 2 + 3?"));

  @TempDir Path dir;

  @Test
  void shouldScoreEachCompletionOfABatchAsIfScoredAloneAndTheSameEveryTime() {
    Path checkpoint = save(CheckpointKind.REWARD, true);
    List<String> texts = List.of("2 + 3 = 5.", "I don't know at all, sorry.", "Six.");
    try (RewardScorer scorer = RewardScorer.load(checkpoint, Device.cpu())) {
      double[] together = scorer.score(QUESTION, texts);
      assertThat(together).hasSize(3);
      for (int i = 0; i < texts.size(); i++) {
        double alone = scorer.score(QUESTION, List.of(texts.get(i)))[0];
        // A padded batch multiplies matrices of another shape, which BLAS may sum in another order.
        assertThat(together[i]).isCloseTo(alone, within(1e-5));
      }
      assertThat(together[0]).isNotEqualTo(together[1]);
      assertThat(scorer.score(QUESTION, texts)).containsExactly(together);
    }
  }

  @Test
  void shouldReadTheRewardTokenOfACompletionLongerThanTheContext() {
    Path checkpoint = save(CheckpointKind.REWARD, true);
    try (RewardScorer scorer = RewardScorer.load(checkpoint, Device.cpu())) {
      double[] scores = scorer.score(QUESTION, List.of("word ".repeat(400), "short"));
      assertThat(scores).hasSize(2);
      assertThat(Double.isFinite(scores[0]) && Double.isFinite(scores[1])).isTrue();
    }
  }

  @Test
  void shouldRefuseACheckpointThatIsNoRewardModel() {
    Path base = save(CheckpointKind.BASE, false);
    assertThatThrownBy(() -> RewardScorer.load(base, Device.cpu()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not REWARD");
  }

  private Path save(CheckpointKind kind, boolean head) {
    Engine.getInstance().setRandomSeed(7);
    GptConfig config = GptConfig.tiny(new ByteTokenizer().vocabSize());
    Path target = dir.resolve(kind.name().toLowerCase());
    try (LanguageModel network = LanguageModel.create(config, new ByteTokenizer(), Device.cpu())) {
      if (head) network.addRewardHead();
      Checkpoints.save(
          target,
          network,
          CheckpointMetadata.now(
              config, ByteTokenizer.NAME, kind, "rm-test", null, Map.of(), Map.of(), 0));
    }
    return target;
  }
}
