package dev.rlhf.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.policy.TinyPolicies;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.policy.ppo.PolicyForward;
import dev.rlhf.policy.train.ResponseSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  /** Row lengths (prompt + response) like a DPO batch's: short answers and one long story. */
  private static final int[][] SHAPES = {
    {12, 4}, {12, 9}, {14, 3}, {14, 30}, {9, 6}, {9, 81}, {9, 70}, {11, 5}, {11, 20}, {10, 2}
  };

  // Three pairs per "prompt" of rows 0-3 and 4-7, two of rows 8-9; the weights are uneven.
  private static final long[] CHOSEN = {0, 0, 1, 4, 5, 4, 8};
  private static final long[] REJECTED = {1, 3, 2, 5, 6, 7, 9};
  private static final float[] WEIGHTS = {1f, 0.5f, 1f, 1f, 0.75f, 1f, 1f};

  private static List<ResponseSequence> rows() {
    Random random = new Random(3);
    List<ResponseSequence> rows = new ArrayList<>();
    for (int[] shape : SHAPES) {
      int[] prompt = random.ints(shape[0], 0, 256).toArray();
      int[] response = random.ints(shape[1], 0, 256).toArray();
      rows.add(ResponseSequence.of(prompt, response));
    }
    return rows;
  }

  @Test
  void bucketsHoldEveryRowOnceAndComputeFewerPositionsThanOnePaddedPass() {
    List<ResponseSequence> rows = rows();
    List<int[]> buckets = LengthBuckets.of(rows);

    assertThat(buckets).hasSizeBetween(2, LengthBuckets.MAX_BUCKETS);
    int[] all = buckets.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertThat(all).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    // One pass pads all 10 rows to the longest (90): 10 * 89 positions. In buckets the long rows
    // 5 and 6 (90 and 79 tokens) pass together and the eight short ones apart from them.
    long onePass = LengthBuckets.positions(rows, LengthBuckets.of(rows, 1));
    assertThat(onePass).isEqualTo(10 * 89);
    assertThat(LengthBuckets.positions(rows, buckets)).isLessThan(onePass / 2);
    assertThat(buckets.get(buckets.size() - 1)).containsExactly(6, 5);
    // The same rows always give the same buckets, and rows of one length give one bucket.
    assertThat(LengthBuckets.of(rows())).usingRecursiveComparison().isEqualTo(buckets);
    List<ResponseSequence> same = rows().subList(0, 1);
    assertThat(LengthBuckets.of(List.of(same.get(0), same.get(0), same.get(0)))).hasSize(1);
  }

  @Test
  void theBucketedPassGivesOnePaddedPasssLogProbabilitiesLossAndGradient() {
    Engine.getInstance().setRandomSeed(11);
    List<ResponseSequence> rows = rows();
    DpoLoss dpo = new DpoLoss(DpoConfig.defaults());
    float[] reference = new float[rows.size()];
    float[] lengths = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      reference[i] = -3f * rows.get(i).length() + 0.1f * i;
      lengths[i] = rows.get(i).length();
    }
    try (LanguageModel policy =
        LanguageModel.create(TinyPolicies.config(), new ByteTokenizer(), Device.cpu())) {
      float[][] onePass = new float[3][];
      float[][] bucketed = new float[3][];
      for (boolean buckets : new boolean[] {false, true}) {
        try (NDManager m = policy.manager().newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logProbs =
              buckets
                  ? LengthBuckets.sequenceLogProbs(policy, rows, LengthBuckets.of(rows), m, true)
                  : PolicyForward.run(policy, rows, 1f, m, true).sequenceLogProbs();
          NDArray loss =
              dpo.compute(
                      logProbs,
                      m.create(reference),
                      m.create(lengths),
                      m.create(CHOSEN),
                      m.create(REJECTED),
                      m.create(WEIGHTS))
                  .loss();
          collector.backward(loss);
          float[][] out = buckets ? bucketed : onePass;
          out[0] = logProbs.toFloatArray();
          out[1] = new float[] {loss.getFloat()};
          // The gradient of the token embedding: every row's tokens reach it.
          NDArray grad =
              policy.namedParameters().get("transformer.wte.weight").getArray().getGradient();
          out[2] = grad.toFloatArray();
          grad.subi(grad);
        }
      }
      assertThat(bucketed[0]).containsExactly(onePass[0], within(1e-4f));
      assertThat(bucketed[1][0]).isCloseTo(onePass[1][0], within(1e-4f));
      assertThat(onePass[1][0]).isGreaterThan(0f);
      assertThat(maxAbs(onePass[2])).isGreaterThan(1e-6f);
      for (int i = 0; i < onePass[2].length; i++) {
        assertThat(bucketed[2][i]).as("wte gradient %d", i).isCloseTo(onePass[2][i], within(1e-5f));
      }
    }
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) max = Math.max(max, Math.abs(v));
    return max;
  }
}
