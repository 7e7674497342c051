package dev.rlhf.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.testing.FreedMemory;
import org.junit.jupiter.api.Test;

class DpoLossTest {

  // Two pairs over three rows: row 0 over row 1, row 2 over row 1.
  private static final float[] POLICY = {-10f, -12f, -9f};
  private static final float[] REFERENCE = {-11f, -11f, -11f};
  private static final float[] LENGTHS = {4f, 5f, 2f};
  private static final long[] CHOSEN = {0, 2};
  private static final long[] REJECTED = {1, 1};

  /** The per-pair losses and implicit rewards as the formulas give them, in doubles. */
  private static double[] perPair(DpoConfig.LossType type, double beta, double e) {
    return perPair(type, beta, e, 0);
  }

  /** The same plus RPO's term: alpha times the chosen row's negative log-likelihood per token. */
  private static double[] perPair(DpoConfig.LossType type, double beta, double e, double alpha) {
    double[] out = new double[CHOSEN.length];
    for (int p = 0; p < out.length; p++) {
      int c = (int) CHOSEN[p];
      int r = (int) REJECTED[p];
      double rc = POLICY[c] - REFERENCE[c];
      double rr = POLICY[r] - REFERENCE[r];
      if (type == DpoConfig.LossType.IPO) {
        rc /= LENGTHS[c];
        rr /= LENGTHS[r];
      }
      double h = rc - rr;
      out[p] =
          switch (type) {
            case SIGMOID -> (1 - e) * softplus(-beta * h) + e * softplus(beta * h);
            case ROBUST -> ((1 - e) * softplus(-beta * h) - e * softplus(beta * h)) / (1 - 2 * e);
            case IPO -> Math.pow(h - 1 / (2 * beta), 2);
          };
      out[p] += alpha * -POLICY[c] / LENGTHS[c];
    }
    return out;
  }

  private static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  private static DpoLoss.Terms terms(NDManager m, DpoConfig.LossType type, float beta, float e) {
    return terms(m, type, beta, e, 0f);
  }

  private static DpoLoss.Terms terms(
      NDManager m, DpoConfig.LossType type, float beta, float e, float rpoAlpha) {
    return terms(m, m.create(POLICY), type, beta, e, rpoAlpha);
  }

  private static DpoLoss.Terms terms(
      NDManager m, NDArray policy, DpoConfig.LossType type, float beta, float e, float rpoAlpha) {
    DpoConfig d = DpoConfig.defaults();
    DpoConfig config =
        new DpoConfig(
            d.epochs(),
            d.promptsPerBatch(),
            beta,
            type,
            e,
            rpoAlpha,
            d.ptxCoef(),
            d.lr(),
            d.minLr(),
            d.warmupSteps(),
            d.weightDecay(),
            d.gradClip(),
            d.heldOutPercent(),
            d.evalEvery(),
            d.patience(),
            d.maxNewTokens(),
            d.maxChosenLogpDrop(),
            d.seed());
    return new DpoLoss(config)
        .compute(
            policy, m.create(REFERENCE), m.create(LENGTHS), m.create(CHOSEN), m.create(REJECTED));
  }

  @Test
  void eachLossIsItsPublishedFormulaAveragedOverThePairs() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (DpoConfig.LossType type : DpoConfig.LossType.values()) {
        for (float smoothing : new float[] {0f, 0.1f}) {
          DpoLoss.Terms t = terms(m, type, 0.5f, smoothing);
          double[] expected = perPair(type, 0.5, type == DpoConfig.LossType.IPO ? 0 : smoothing);
          // Float32 arithmetic against doubles: a few ulps of values near 1.
          assertThat(t.perPair().toFloatArray())
              .as("%s with smoothing %s", type, smoothing)
              .containsExactly(
                  new float[] {(float) expected[0], (float) expected[1]}, within(1e-5f));
          assertThat((double) t.loss().getFloat())
              .isCloseTo((expected[0] + expected[1]) / 2, within(1e-5));
        }
      }
    }
  }

  @Test
  void rpoAddsTheChosenResponsesNegativeLogLikelihoodPerTokenToEachPair() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (DpoConfig.LossType type : DpoConfig.LossType.values()) {
        DpoLoss.Terms plain = terms(m, type, 0.5f, 0f, 0f);
        DpoLoss.Terms rpo = terms(m, type, 0.5f, 0f, 0.5f);
        double[] expected = perPair(type, 0.5, 0, 0.5);
        assertThat(rpo.perPair().toFloatArray())
            .as("%s with RPO", type)
            .containsExactly(new float[] {(float) expected[0], (float) expected[1]}, within(1e-5f));
        // Chosen rows 0 and 2: -10 over 4 tokens and -9 over 2, half of each.
        assertThat(rpo.loss().getFloat() - plain.loss().getFloat())
            .isCloseTo((0.5f * 2.5f + 0.5f * 4.5f) / 2, within(1e-5f));
        assertThat(rpo.margins().toFloatArray())
            .as("the implicit rewards are the preference term's alone")
            .containsExactly(plain.margins().toFloatArray());
      }
    }
  }

  @Test
  void theImplicitRewardIsBetaTimesTheLogRatioAndRanksTheBetterSideFirst() {
    try (NDManager m = NDManager.newBaseManager()) {
      DpoLoss.Terms t = terms(m, DpoConfig.LossType.SIGMOID, 0.1f, 0f);
      // Exact: one subtraction and one product by beta in float32 either way.
      assertThat(t.chosenRewards().toFloatArray())
          .containsExactly(0.1f * (POLICY[0] - REFERENCE[0]), 0.1f * (POLICY[2] - REFERENCE[2]));
      assertThat(t.rejectedRewards().toFloatArray())
          .containsExactly(0.1f * (POLICY[1] - REFERENCE[1]), 0.1f * (POLICY[1] - REFERENCE[1]));
      // Chosen gained 1 and 2 nats on the reference where the rejected lost 1.
      assertThat(t.margins().toFloatArray())
          .containsExactly(new float[] {0.2f, 0.3f}, within(1e-6f));
    }
  }

  @Test
  void aPairsWeightScalesItsShareOfTheLoss() {
    try (NDManager m = NDManager.newBaseManager()) {
      DpoLoss loss = new DpoLoss(DpoConfig.defaults());
      float beta = DpoConfig.defaults().beta();
      float e = DpoConfig.defaults().labelSmoothing();
      double[] expected =
          perPair(DpoConfig.defaults().lossType(), beta, e, DpoConfig.defaults().rpoAlpha());

      DpoLoss.Terms weighted =
          loss.compute(
              m.create(POLICY),
              m.create(REFERENCE),
              m.create(LENGTHS),
              m.create(CHOSEN),
              m.create(REJECTED),
              m.create(new float[] {1f, 0.25f}));
      DpoLoss.Terms ones =
          loss.compute(
              m.create(POLICY),
              m.create(REFERENCE),
              m.create(LENGTHS),
              m.create(CHOSEN),
              m.create(REJECTED),
              m.create(new float[] {1f, 1f}));

      assertThat((double) weighted.loss().getFloat())
          .isCloseTo((expected[0] + 0.25 * expected[1]) / 2, within(1e-5));
      assertThat((double) ones.loss().getFloat())
          .as("weight 1 everywhere is the unweighted mean")
          .isCloseTo((expected[0] + expected[1]) / 2, within(1e-5));
    }
  }

  @Test
  void theGradientDoesNotDependOnWhenTheGarbageCollectorRuns() {
    for (DpoConfig.LossType type : DpoConfig.LossType.values()) {
      float[] straight = policyGradient(type, false);
      // beta, the smoothing and RPO's alpha were numbers that the backward pass read from freed
      // Java memory after a collection.
      assertThat(policyGradient(type, true)).as("%s", type).containsExactly(straight);
      for (float g : straight) {
        assertThat(g).as("%s", type).isFinite();
      }
    }
  }

  private static float[] policyGradient(DpoConfig.LossType type, boolean collectBeforeBackward) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray policy = m.create(POLICY);
      policy.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        DpoLoss.Terms t = terms(m, policy, type, 0.5f, 0.1f, 0.5f);
        if (collectBeforeBackward) {
          FreedMemory.collect();
        }
        collector.backward(t.loss());
      }
      return policy.getGradient().toFloatArray();
    }
  }
}
