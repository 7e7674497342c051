package dev.rlhf.reward.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.testing.FreedMemory;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PairwiseLossTest {

  private static final List<Turn> QUESTION = List.of(new Turn(Role.USER, "2 + 2?"));

  // Two prompts: one pair over rows 0, 1; two pairs over rows 2, 3, 4.
  private static final EncodedBatch BATCH =
      EncodedBatch.of(
          List.of(
              new PromptComparisons(
                  UUID.randomUUID(), QUESTION, List.of("4", "5"), new int[] {0}, new int[] {1}),
              new PromptComparisons(
                  UUID.randomUUID(),
                  QUESTION,
                  List.of("4", "5", "6"),
                  new int[] {0, 0},
                  new int[] {1, 2})),
          new ChatTemplate(new ByteTokenizer()),
          64);

  @Test
  void theGradientShouldNotDependOnWhenTheGarbageCollectorRuns() {
    float[] straight = rewardGradient(false);
    // The division by the number of prompts was by a number that the backward pass read from
    // freed Java memory after a collection.
    assertThat(rewardGradient(true)).containsExactly(straight);
    for (float g : straight) {
      assertThat(g).isFinite();
    }
  }

  private static float[] rewardGradient(boolean collectBeforeBackward) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray rewards = m.create(new float[] {0.5f, -0.2f, 1.0f, 0.3f, -0.7f});
      rewards.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = PairwiseLoss.loss(PairwiseLoss.margins(rewards, BATCH, m), BATCH, m);
        if (collectBeforeBackward) {
          FreedMemory.collect();
        }
        collector.backward(loss);
      }
      return rewards.getGradient().toFloatArray();
    }
  }
}
