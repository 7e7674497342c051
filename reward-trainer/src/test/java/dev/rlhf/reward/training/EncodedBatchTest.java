package dev.rlhf.reward.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EncodedBatchTest {

  @Test
  void shouldWeighEachPairByItsOwnWeightOverItsPromptsPairCount() {
    List<Turn> question = List.of(new Turn(Role.USER, "2 + 2?"));
    PromptComparisons certain =
        new PromptComparisons(
            UUID.randomUUID(), question, List.of("4", "5"), new int[] {0}, new int[] {1});
    PromptComparisons uncertain =
        new PromptComparisons(
            UUID.randomUUID(),
            question,
            List.of("4", "5", "6"),
            new int[] {0, 0},
            new int[] {1, 2},
            new float[] {0.5f, 1f});

    EncodedBatch batch =
        EncodedBatch.of(List.of(certain, uncertain), new ChatTemplate(new ByteTokenizer()), 64);

    assertThat(batch.pairWeight()).containsExactly(1f, 0.25f, 0.5f);
    assertThat(batch.prompts()).isEqualTo(2);
  }
}
