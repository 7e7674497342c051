package dev.rlhf.policy.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlhf.testing.FreedMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpoLossTest {

  private static final Shape BT = new Shape(2, 4);
  // Two sequences of four actions; the second's last is padding.
  private static final float[] MASK = {1, 1, 1, 1, 1, 1, 1, 0};

  @Test
  void theGradientsShouldNotDependOnWhenTheGarbageCollectorRuns() {
    List<float[]> straight = gradients(false);
    List<float[]> collected = gradients(true);

    // The value loss's factors 0.5 and valueCoef were numbers that the backward pass read from
    // freed Java memory after a collection: the value gradients came out as garbage (PpoResumeTest
    // failed about once in ten fresh JVMs).
    assertThat(collected.get(0)).as("policy gradient").containsExactly(straight.get(0));
    assertThat(collected.get(1)).as("value gradient").containsExactly(straight.get(1));
    for (float g : straight.get(1)) {
      assertThat(g).isFinite();
    }
  }

  /** d loss / d logProbs and d loss / d values, with or without a collection before backward. */
  private static List<float[]> gradients(boolean collectBeforeBackward) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logProbs = m.create(new float[] {-1.0f, -2.0f, -0.5f, -1.5f, -3f, -0.2f, -1f, 0}, BT);
      NDArray values = m.create(new float[] {0.3f, 0.1f, -0.2f, 0.5f, 1f, 0.8f, 0.4f, 0}, BT);
      logProbs.setRequiresGradient(true);
      values.setRequiresGradient(true);
      NDArray oldLogProbs =
          m.create(new float[] {-1.1f, -1.9f, -0.6f, -1.5f, -2f, -0.3f, -1f, 0}, BT);
      NDArray oldValues = m.create(new float[] {0.2f, 0.2f, 0f, 0.6f, 0.7f, 0.9f, 0.1f, 0}, BT);
      NDArray advantages = m.create(new float[] {1f, -0.5f, 0.2f, 2f, -1f, 0.3f, 0.7f, 0}, BT);
      NDArray returns = m.create(new float[] {1.5f, 0f, -0.4f, 0.9f, 0.2f, 1f, 1.1f, 0}, BT);
      PpoLoss loss = new PpoLoss(0.2f, 0.2f, 0.1f);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        PpoLoss.Terms terms =
            loss.compute(
                logProbs, oldLogProbs, values, oldValues, advantages, returns, m.create(MASK, BT));
        if (collectBeforeBackward) {
          FreedMemory.collect();
        }
        collector.backward(terms.loss());
      }
      return List.of(logProbs.getGradient().toFloatArray(), values.getGradient().toFloatArray());
    }
  }
}
