package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.lm.train.LearningRateSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPiecesTest {

  @Test
  void shouldWarmUpLinearlyThenDecayByCosine() {
    LearningRateSchedule s = new LearningRateSchedule(1e-3f, 1e-4f, 10, 110);
    assertThat(s.at(0)).isCloseTo(1e-4f, within(1e-9f));
    assertThat(s.at(9)).isCloseTo(1e-3f, within(1e-9f));
    assertThat(s.at(60)).isCloseTo(5.5e-4f, within(1e-6f));
    assertThat(s.at(110)).isEqualTo(1e-4f);
    assertThat(s.at(500)).isEqualTo(1e-4f);
  }

  @Test
  void shouldTakeAdamWStepsLikeTheReferenceFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "w", new float[] {1f, -2f, 3f, 0.5f}, new Shape(2, 2));
      try (AdamW adam = new AdamW(Map.of("w", w), 0.9f, 0.95f, 1e-8f, 0.1f)) {
        // loss = sum(w^2) / 2, gradient = w
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.getArray().square().sum().div(2));
        }
        adam.step(0.01f);
        // First Adam step moves each weight by lr * sign(gradient); decay shrinks it by lr * wd.
        float[] expected = new float[4];
        float[] start = {1f, -2f, 3f, 0.5f};
        for (int i = 0; i < 4; i++) {
          expected[i] = start[i] * (1 - 0.01f * 0.1f) - 0.01f * Math.signum(start[i]);
        }
        // The reference is computed in Java's float arithmetic, the update by the engine's fused
        // kernel in another order: 1e-5 is a few float roundings at these magnitudes.
        assertThat(w.getArray().toFloatArray()).containsExactly(expected, within(1e-5f));
        assertThat(w.getArray().getGradient().toFloatArray()).containsOnly(0f);
      }
    }
  }

  @Test
  void shouldFollowPyTorchsAdamWOverManySteps() {
    float[] matrix = {1f, -2f, 3f, 0.5f, -0.25f, 1.5f};
    float[] vector = {0.75f, -1.25f};
    float lr = 0.05f;
    float decay = 0.1f;
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "w", matrix, new Shape(2, 3));
      Parameter b = parameter(m, "b", vector, new Shape(2));
      ReferenceAdamW refW = new ReferenceAdamW(matrix, decay);
      ReferenceAdamW refB = new ReferenceAdamW(vector, 0f);
      try (AdamW adam = new AdamW(Map.of("w", w, "b", b), 0.9f, 0.95f, 1e-8f, decay)) {
        for (int step = 1; step <= 12; step++) {
          // loss = sum(x^4) / 4, gradient = x^3: gradients change sign and size along the way
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.getArray().pow(4).sum().div(4).add(b.getArray().pow(4).sum().div(4)));
          }
          adam.step(lr);
          refW.step(lr, step);
          refB.step(lr, step);
          // A double-precision reference against the engine's float kernel: 1e-5 absorbs the
          // rounding of 12 float steps at weights of magnitude ~1.
          assertThat(w.getArray().toFloatArray()).containsExactly(refW.x, within(1e-5f));
          assertThat(b.getArray().toFloatArray()).containsExactly(refB.x, within(1e-5f));
        }
        assertThat(w.getArray().getGradient().toFloatArray()).containsOnly(0f);
      }
    }
  }

  /** torch.optim.AdamW's update in plain doubles, on the gradient of sum(x^4) / 4. */
  private static final class ReferenceAdamW {
    final float[] x;
    final double[] m;
    final double[] v;
    final float decay;

    ReferenceAdamW(float[] start, float decay) {
      this.x = start.clone();
      this.m = new double[start.length];
      this.v = new double[start.length];
      this.decay = decay;
    }

    void step(float lr, int t) {
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.95, t);
      for (int i = 0; i < x.length; i++) {
        double g = Math.pow(x[i], 3);
        double p = x[i] * (1 - lr * decay);
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.95 * v[i] + 0.05 * g * g;
        x[i] = (float) (p - lr / c1 * m[i] / (Math.sqrt(v[i] / c2) + 1e-8));
      }
    }
  }

  @Test
  void aRestoredOptimizerTakesTheStepTheSavedOneWouldHaveTaken(@TempDir Path dir) {
    Path file = dir.resolve(AdamW.STATE_FILE);
    float[] start = {1f, -2f, 3f, 0.5f};
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter saved = parameter(m, "w", start, new Shape(2, 2));
      float[] afterTwoSteps;
      float[] expected;
      try (AdamW adam = new AdamW(Map.of("w", saved), 0.9f, 0.95f, 1e-8f, 0.1f)) {
        quarticStep(adam, saved);
        quarticStep(adam, saved);
        adam.save(file, 2);
        afterTwoSteps = saved.getArray().toFloatArray();
        quarticStep(adam, saved);
        expected = saved.getArray().toFloatArray();
      }
      Parameter restored = parameter(m, "w", afterTwoSteps, new Shape(2, 2));
      Parameter fresh = parameter(m, "w", afterTwoSteps, new Shape(2, 2));
      try (AdamW adam = new AdamW(Map.of("w", restored), 0.9f, 0.95f, 1e-8f, 0.1f);
          AdamW afresh = new AdamW(Map.of("w", fresh), 0.9f, 0.95f, 1e-8f, 0.1f)) {
        assertThat(adam.restore(file, 3)).as("a state of another training step").isFalse();
        assertThat(adam.restore(file, 2)).isTrue();
        assertThat(adam.steps()).isEqualTo(2);
        quarticStep(adam, restored);
        quarticStep(afresh, fresh);
      }
      // Exact: the restored moments are the saved floats, so the third step is the same step.
      assertThat(restored.getArray().toFloatArray()).containsExactly(expected);
      // Without the state the third step would be a first step: lr * sign(gradient).
      assertThat(maxDifference(fresh.getArray().toFloatArray(), expected)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void anOptimizerStateOfOtherParametersIsRefused(@TempDir Path dir) {
    Path file = dir.resolve(AdamW.STATE_FILE);
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "w", new float[] {1f, 2f}, new Shape(2));
      Parameter other = parameter(m, "v", new float[] {1f, 2f}, new Shape(2));
      try (AdamW adam = new AdamW(Map.of("w", w), 0.9f, 0.95f, 1e-8f, 0f);
          AdamW wrong = new AdamW(Map.of("v", other), 0.9f, 0.95f, 1e-8f, 0f)) {
        adam.save(file, 1);
        assertThatThrownBy(() -> wrong.restore(file, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("v.exp_avg");
      }
    }
  }

  /** One step on loss = sum(w^4) / 4 (gradient w^3), whose gradients change as w moves. */
  private static void quarticStep(AdamW adam, Parameter w) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(w.getArray().pow(4).sum().div(4));
    }
    adam.step(0.05f);
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  @Test
  void shouldClipTheGlobalGradientNorm() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Gradients equal to the weights: 3, 4 in a vector and 12 in a matrix, global norm 13.
      Parameter w = parameter(m, "w", new float[] {3f, 4f}, new Shape(2));
      Parameter u = parameter(m, "u", new float[] {0f, 12f, 0f, 0f}, new Shape(2, 2));
      Map<String, Parameter> both = new LinkedHashMap<>();
      both.put("w", w);
      both.put("u", u);
      try (AdamW adam = new AdamW(both, 0.9f, 0.95f, 1e-8f, 0f)) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.getArray().square().sum().add(u.getArray().square().sum()).div(2));
        }
        float norm = GradientClipping.clip(adam.weights(), 1f);
        // Float norms and divisions against exact fractions: a few roundings.
        assertThat(norm).isCloseTo(13f, within(1e-5f));
        assertThat(w.getArray().getGradient().toFloatArray())
            .containsExactly(new float[] {3f / 13, 4f / 13}, within(1e-5f));
        assertThat(u.getArray().getGradient().toFloatArray())
            .containsExactly(new float[] {0f, 12f / 13, 0f, 0f}, within(1e-5f));
      }
    }
  }

  private static Parameter parameter(NDManager m, String name, float[] values, Shape shape) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optArray(m.create(values, shape))
        .build();
  }

  @Test
  void shouldReportNonFiniteNormsAndZeroInfiniteGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "w", new float[] {1f, 2f}, new Shape(2));
      try (AdamW adam = new AdamW(Map.of("w", w), 0.9f, 0.95f, 1e-8f, 0f)) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.getArray().mul(Float.MAX_VALUE).mul(10f).sum());
        }
        assertThat(GradientClipping.clip(adam.weights(), 1f)).isInfinite();
        adam.zeroGradients();
        assertThat(w.getArray().getGradient().toFloatArray()).containsOnly(0f);
        assertThat(w.getArray().toFloatArray()).containsExactly(1f, 2f);
      }
    }
  }
}
