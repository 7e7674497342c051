package dev.rlhf.lm.sample;

import java.util.Arrays;
import java.util.Random;

/** Picks one token from a row of logits in plain Java, so seeded sampling is reproducible. */
final class TokenSampler {

  private final SamplingParams params;
  private final Random random;

  TokenSampler(SamplingParams params) {
    this.params = params;
    this.random = params.seed() == null ? new Random() : new Random(params.seed());
  }

  /** A chosen token and its log-probability. */
  record Choice(int token, float logProb) {}

  Choice choose(float[] logits, int from, int vocab) {
    double temperature = params.temperature() == 0 ? 1 : params.temperature();
    double[] logp = new double[vocab];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      logp[i] = logits[from + i] / temperature;
      max = Math.max(max, logp[i]);
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(logp[i] - max);
    }
    double logZ = max + Math.log(sum);
    for (int i = 0; i < vocab; i++) {
      logp[i] -= logZ;
    }
    int token = params.temperature() == 0 ? argmax(logp) : sample(logp);
    return new Choice(token, (float) logp[token]);
  }

  private int sample(double[] logp) {
    if (params.topK() <= 0 && params.topP() >= 1) {
      // Nothing is cut off: draw from the whole distribution, in id order, without sorting.
      double r = random.nextDouble();
      for (int i = 0; i < logp.length; i++) {
        r -= Math.exp(logp[i]);
        if (r <= 0) {
          return i;
        }
      }
      return argmax(logp); // what rounding left of the mass falls to the likeliest token
    }
    int[] order = byDescendingProbability(logp);
    int keep = params.topK() > 0 ? Math.min(params.topK(), order.length) : order.length;
    double mass = 0;
    int kept = 0;
    while (kept < keep) {
      mass += Math.exp(logp[order[kept]]);
      kept++;
      if (mass >= params.topP()) {
        break;
      }
    }
    double r = random.nextDouble() * mass;
    for (int i = 0; i < kept; i++) {
      r -= Math.exp(logp[order[i]]);
      if (r <= 0) {
        return order[i];
      }
    }
    return order[kept - 1];
  }

  /**
   * Token ids from the most to the least likely, ties by id. Each id is packed with its
   * log-probability's order-preserving bits into one long, so a primitive sort does it: sorting
   * boxed ids with a comparator took ~13 ms a row over GPT-2's 50k ids.
   */
  static int[] byDescendingProbability(double[] logp) {
    long[] keys = new long[logp.length];
    for (int i = 0; i < logp.length; i++) {
      int bits = Float.floatToIntBits((float) -logp[i]);
      int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // signed-int order = float order
      keys[i] = ((long) ordered << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
