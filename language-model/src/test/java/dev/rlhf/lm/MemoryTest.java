package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.lm.train.LanguageModelLoss;
import org.junit.jupiter.api.Test;

/** Native memory must not grow with the number of steps: nothing per-step stays attached. */
class MemoryTest {

  @Test
  void shouldKeepNativeArraysFlatOverThousandsOfForwardPasses() {
    try (LanguageModel lm = TestNetworks.tiny(11)) {
      int baseline = lm.manager().getManagedArrays().size();
      long[] ids = new long[2 * 16];
      for (int i = 0; i < 2000; i++) {
        try (NDManager step = lm.manager().newSubManager()) {
          NDArray tokens = step.create(ids, new Shape(2, 16));
          lm.logits(lm.hidden(tokens, null, false), false).toFloatArray();
        }
      }
      new Generator(lm).sample(new int[] {1, 2, 3}, 8, SamplingParams.seeded(40, 1));
      assertThat(lm.manager().getManagedArrays().size()).isEqualTo(baseline);
      assertThat(countLiveArrays(lm.manager())).isEqualTo(baseline);
    }
  }

  @Test
  void shouldKeepNativeArraysFlatOverTrainingSteps() {
    try (LanguageModel lm = TestNetworks.tiny(12);
        AdamW adam = AdamW.gptDefaults(lm.namedParameters(), 0.1f)) {
      long[] ids = new long[4 * 33];
      int afterFirst = -1;
      for (int i = 0; i < 100; i++) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray all = lm.manager().create(ids, new Shape(4, 33));
          NDArray x = all.get(":, :-1");
          NDArray y = all.get(":, 1:");
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(
                LanguageModelLoss.crossEntropy(lm.logits(lm.hidden(x, null, true), true), y));
          }
          GradientClipping.clip(adam.weights(), 1f);
          adam.step(1e-3f);
        }
        if (i == 0) {
          afterFirst = countLiveArrays(lm.manager());
        }
      }
      assertThat(countLiveArrays(lm.manager())).isEqualTo(afterFirst);
    }
  }

  /** Arrays alive in a manager and all its sub-managers. */
  private static int countLiveArrays(NDManager manager) {
    return manager.getManagedArrays().size();
  }
}
