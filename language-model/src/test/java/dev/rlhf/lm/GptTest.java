package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GptTest {

  @ParameterizedTest
  @EnumSource(GptConfig.Activation.class)
  void shouldMatchPlainJavaReferenceLogits(GptConfig.Activation activation) {
    GptConfig tiny = GptConfig.tiny();
    GptConfig config =
        new GptConfig(
            tiny.nLayer(),
            tiny.nHead(),
            tiny.nEmbd(),
            tiny.blockSize(),
            tiny.vocabSize(),
            0f,
            true,
            true,
            activation);
    Engine.getInstance().setRandomSeed(1);
    try (LanguageModel lm = LanguageModel.create(config, new ByteTokenizer(), Device.cpu())) {
      // With the initial weights the two GELUs (which differ by up to ~5e-4) give the same logits
      // to ~3e-5. Larger MLP weights spread the MLP's inputs over a few units and let its output
      // dominate the residual stream; a larger embedding (tied head) scales the logits up.
      Map<String, float[]> weights = lm.weights();
      weights.replaceAll(
          (name, w) -> {
            if (!name.contains(".mlp.") && !name.contains("wte")) {
              return w;
            }
            float[] big = w.clone();
            for (int i = 0; i < big.length; i++) big[i] *= 50;
            return big;
          });
      lm.load(weights);
      int[] tokens = new Random(3).ints(20, 0, 262).toArray();
      float[][] ours = TestNetworks.logits(lm, new int[][] {tokens})[0];
      Map<String, Tensor> hf = TestNetworks.asHuggingFace(lm);
      float[][] expected =
          new ReferenceGpt2(hf, config.nLayer(), config.nHead(), activation).logits(tokens);
      GptConfig.Activation other =
          activation == GptConfig.Activation.GELU
              ? GptConfig.Activation.GELU_TANH
              : GptConfig.Activation.GELU;
      float[][] otherForm =
          new ReferenceGpt2(hf, config.nLayer(), config.nHead(), other).logits(tokens);
      float apart = 0;
      for (int t = 0; t < tokens.length; t++) {
        // The reference computes in plain Java loops, the engine with BLAS in another order.
        assertThat(TestNetworks.maxAbsDiff(ours[t], expected[t])).isLessThan(1e-4f);
        apart = Math.max(apart, TestNetworks.maxAbsDiff(ours[t], otherForm[t]));
      }
      // The comparison can tell the two activations apart.
      assertThat(apart).isGreaterThan(1e-3f);
    }
  }

  @Test
  void shouldComputeErfForTheReference() {
    assertThat(ReferenceGpt2.erf(0)).isEqualTo(0);
    assertThat(ReferenceGpt2.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-12));
    assertThat(ReferenceGpt2.erf(-2)).isCloseTo(-0.9953222650189527, within(1e-12));
    assertThat(ReferenceGpt2.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-12));
  }

  @Test
  void shouldTrainItsOwnNetworksWithTheExactGeluAndKeepGpt2sForm() {
    assertThat(GptConfig.tiny().activation()).isEqualTo(GptConfig.Activation.GELU);
    assertThat(GptConfig.gpt2Small().activation()).isEqualTo(GptConfig.Activation.GELU_TANH);
    assertThat(GptConfig.gpt2Small().withVocabSize(50300).activation())
        .isEqualTo(GptConfig.Activation.GELU_TANH);
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
