package dev.rlhf.lm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ScalarsTest {

  @Test
  void aBackwardPassAfterAGarbageCollectionShouldGiveTheExactGradient() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, -2f, 3f});
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = Scalars.div(Scalars.mul(x, 0.5f), 4f).sum();
        // Number operands (x.mul(0.5f)) lived in Java buffers that the collector frees here; the
        // backward pass then read freed memory (NaN, infinities or huge numbers instead of 1/8).
        collectGarbage();
        collector.backward(y);
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(0.125f, 0.125f, 0.125f);
    }
  }

  @Test
  void shouldGiveTheFloatsOfTheEnginesOwnProductAndQuotient() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(7);
      NDArray x = m.randomNormal(new Shape(4, 33));

      assertThat(Scalars.mul(x, 0.3f).toFloatArray()).containsExactly(x.mul(0.3f).toFloatArray());
      assertThat(Scalars.div(x, 0.7f).toFloatArray()).containsExactly(x.div(0.7f).toFloatArray());
    }
  }

  /** Lets the JVM collect unreachable direct buffers and free their memory. */
  private static void collectGarbage() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(30);
    }
  }
}
