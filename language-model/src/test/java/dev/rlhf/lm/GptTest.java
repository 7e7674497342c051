package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.lm.nn.GptConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GptTest {

  @Test
  void shouldMatchPlainJavaReferenceLogits() {
    try (LanguageModel lm = TestNetworks.tiny(1)) {
      int[] tokens = new Random(3).ints(20, 0, 262).toArray();
      float[][] ours = TestNetworks.logits(lm, new int[][] {tokens})[0];
      ReferenceGpt2 reference =
          new ReferenceGpt2(
              TestNetworks.asHuggingFace(lm), lm.config().nLayer(), lm.config().nHead());
      float[][] expected = reference.logits(tokens);
      for (int t = 0; t < tokens.length; t++) {
        assertThat(TestNetworks.maxAbsDiff(ours[t], expected[t])).isLessThan(1e-4f);
      }
    }
  }

  @Test
  void shouldNotLetAPositionSeeTheFuture() {
    try (LanguageModel lm = TestNetworks.tiny(2)) {
      int[] a = new Random(5).ints(16, 0, 256).toArray();
      int[] b = a.clone();
      b[10] = (b[10] + 1) % 256;
      float[][][] logits = TestNetworks.logits(lm, new int[][] {a, b});
      for (int t = 0; t < 10; t++) {
        assertThat(logits[0][t]).containsExactly(logits[1][t]);
      }
      assertThat(TestNetworks.maxAbsDiff(logits[0][10], logits[1][10])).isGreaterThan(1e-4f);
    }
  }

  @Test
  void shouldRejectWidthNotDivisibleByHeads() {
    assertThatThrownBy(() -> new GptConfig(2, 3, 32, 64, 262, 0f, true, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divisible");
  }

  @Test
  void shouldHaveGpt2SmallParameterCount() {
    // 124,439,808 is GPT-2 small's published count with its 50257-token vocabulary.
    GptConfig config = GptConfig.gpt2Small(50257);
    long c = config.nEmbd();
    long perLayer = 12 * c * c + 13 * c;
    long count = config.nLayer() * perLayer + (50257 + 1024) * c + 2 * c;
    assertThat(count).isEqualTo(124_439_808L);
  }
}
