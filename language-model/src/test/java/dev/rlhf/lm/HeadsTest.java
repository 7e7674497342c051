package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadsTest {

  @Test
  void shouldReadRewardAtEachSequencesReadOutTokenDespiteRightPadding() {
    try (LanguageModel lm = TestNetworks.tiny(31)) {
      lm.addRewardHead();
      ChatTemplate template = lm.chatTemplate();
      List<Turn> q = List.of(Turn.user("What is 2 + 3?"));
      ChatTemplate.RewardInput good = template.rewardInput(q, "2 + 3 = 5.");
      ChatTemplate.RewardInput bad = template.rewardInput(q, "I don't know at all.");
      int width = Math.max(good.tokens().length, bad.tokens().length);
      float[] together = rewards(lm, List.of(good, bad), width);
      float goodAlone = rewards(lm, List.of(good), good.tokens().length)[0];
      float badAlone = rewards(lm, List.of(bad), bad.tokens().length)[0];
      // A padded batch multiplies matrices of another shape, which BLAS may sum in another order.
      assertThat(together[0]).isCloseTo(goodAlone, within(1e-5f));
      assertThat(together[1]).isCloseTo(badAlone, within(1e-5f));
      assertThat(goodAlone).isNotEqualTo(badAlone);
    }
  }

  @Test
  void shouldGiveOneValuePerPosition() {
    try (LanguageModel lm = TestNetworks.tiny(32);
        NDManager m = lm.manager().newSubManager()) {
      assertThatThrownBy(() -> lm.values(m.zeros(new Shape(1, 1, 32)), false))
          .isInstanceOf(IllegalStateException.class);
      lm.addValueHead();
      NDArray hidden =
          lm.hidden(m.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)), null, false);
      assertThat(lm.values(hidden, false).getShape()).isEqualTo(new Shape(2, 3));
    }
  }

  /** Rewards of right-padded sequences, each read at its own {@code <|reward|>} index. */
  private static float[] rewards(
      LanguageModel lm, List<ChatTemplate.RewardInput> inputs, int width) {
    long[] ids = new long[inputs.size() * width];
    long[] read = new long[inputs.size()];
    for (int b = 0; b < inputs.size(); b++) {
      int[] t = inputs.get(b).tokens();
      for (int i = 0; i < t.length; i++) {
        ids[b * width + i] = t[i];
      }
      read[b] = inputs.get(b).readIndex();
    }
    try (NDManager m = lm.manager().newSubManager()) {
      NDArray hidden = lm.hidden(m.create(ids, new Shape(inputs.size(), width)), null, false);
      return lm.rewards(hidden, read, false).toFloatArray();
    }
  }
}
