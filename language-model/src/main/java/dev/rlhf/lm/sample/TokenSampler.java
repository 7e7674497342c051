package dev.rlhf.lm.sample;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks one token from a row of probabilities in plain Java, so seeded sampling is reproducible.
 */
final class TokenSampler {

  private final SamplingParams params;
  private final Random random;

  TokenSampler(SamplingParams params) {
    this.params = params;
    this.random = params.seed() == null ? new Random() : new Random(params.seed());
  }

  /** A chosen token and its log-probability. */
  record Choice(int token, float logProb) {}

  /**
   * @param probabilities rows of next-token probabilities at the sampling temperature (the softmax
   *     of logits / temperature, computed on the device; temperature 1 for greedy)
   * @param from where this row starts
   */
  Choice choose(float[] probabilities, int from, int vocab) {
    double[] prob = new double[vocab];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      prob[i] = probabilities[from + i];
      sum += prob[i];
    }
    for (int i = 0; i < vocab; i++) {
      prob[i] /= sum; // what float rounding left of the unit mass
    }
    int token = params.temperature() == 0 ? argmax(prob) : sample(prob);
    return new Choice(token, (float) Math.log(prob[token]));
  }

  private int sample(double[] prob) {
    double r = random.nextDouble();
    if (params.topK() <= 0 && params.topP() >= 1) {
      // Nothing is cut off: draw from the whole distribution, in id order, without sorting.
      for (int i = 0; i < prob.length; i++) {
        r -= prob[i];
        if (r <= 0) {
          return i;
        }
      }
      return argmax(prob); // what rounding left of the mass falls to the likeliest token
    }
    int[] order = byDescendingProbability(prob, candidates(prob));
    int keep = params.topK() > 0 ? Math.min(params.topK(), order.length) : order.length;
    double mass = 0;
    int kept = 0;
    while (kept < keep) {
      mass += prob[order[kept]];
      kept++;
      if (mass >= params.topP()) {
        break;
      }
    }
    r *= mass;
    for (int i = 0; i < kept; i++) {
      r -= prob[order[i]];
      if (r <= 0) {
        return order[i];
      }
    }
    return order[kept - 1];
  }

  /**
   * The least probability a token needs to be worth sorting: top-k and top-p keep a prefix of the
   * tokens sorted by probability, so a set of the likeliest tokens that holds k of them, or p of
   * the mass, holds that prefix. Starting at a uniform share, the bar is lowered until such a set
   * is found; over GPT-2's vocabulary it is usually a small part of it.
   */
  private double candidates(double[] prob) {
    int k = params.topK() > 0 ? Math.min(params.topK(), prob.length) : 0;
    for (double bar = 1.0 / prob.length; bar > 1e-30; bar /= 16) {
      int count = 0;
      double mass = 0;
      for (double p : prob) {
        if (p >= bar) {
          count++;
          mass += p;
        }
      }
      boolean holdsTopK = k > 0 && count >= k;
      boolean holdsTopP = params.topP() < 1 && mass >= params.topP();
      if (holdsTopK || holdsTopP) {
        return bar;
      }
    }
    return 0;
  }

  /**
   * Ids of the tokens with at least probability {@code bar}, from the most to the least likely,
   * ties by id. Each id is packed with its probability's order-preserving bits into one long, so a
   * primitive sort does it: sorting boxed ids with a comparator took ~13 ms a row over GPT-2's 50k
   * ids.
   */
  static int[] byDescendingProbability(double[] prob, double bar) {
    long[] keys = new long[prob.length];
    int n = 0;
    for (int i = 0; i < prob.length; i++) {
      if (prob[i] < bar) {
        continue;
      }
      int bits = Float.floatToIntBits((float) -prob[i]);
      int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // signed-int order = float order
      keys[n++] = ((long) ordered << 32) | i;
    }
    Arrays.sort(keys, 0, n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
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
