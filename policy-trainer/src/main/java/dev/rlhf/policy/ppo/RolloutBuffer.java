package dev.rlhf.policy.ppo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One batch of rollouts turned into learning targets: per-token rewards (the KL penalty on every
 * token, the score added on the last), GAE advantages whitened over the batch, and returns.
 */
public final class RolloutBuffer {

  private final List<Rollout> rollouts;
  private final float[][] rewards;
  private final float[][] advantages;
  private final float[][] returns;

  /**
   * @param scores the score of each rollout as it enters the reward (whitened or raw)
   * @param klCoef beta of the per-token KL penalty
   */
  public RolloutBuffer(
      List<Rollout> rollouts, double[] scores, double klCoef, float gamma, float lambda) {
    this.rollouts = List.copyOf(rollouts);
    int n = rollouts.size();
    rewards = new float[n][];
    advantages = new float[n][];
    returns = new float[n][];
    for (int b = 0; b < n; b++) {
      Rollout r = rollouts.get(b);
      float[] reward = new float[r.length()];
      for (int i = 0; i < reward.length; i++) {
        reward[i] = (float) (-klCoef * (r.logProbs()[i] - r.refLogProbs()[i]));
      }
      reward[reward.length - 1] += (float) scores[b];
      rewards[b] = reward;
      Gae.Estimate gae = Gae.estimate(reward, r.values(), gamma, lambda);
      advantages[b] = gae.advantages();
      returns[b] = gae.returns();
    }
    whiten(advantages);
  }

  /**
   * Advantages to mean 0 and standard deviation 1 over every token of the batch: the step size then
   * no longer depends on the reward's scale.
   */
  static void whiten(float[][] values) {
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (float[] row : values) {
      for (float v : row) {
        sum += v;
        sq += (double) v * v;
        n++;
      }
    }
    double mean = sum / n;
    double std = Math.sqrt(Math.max(sq / n - mean * mean, 0));
    for (float[] row : values) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) ((row[i] - mean) / (std + 1e-8));
      }
    }
  }

  /** Minibatches of rollout indices, reshuffled on every call (one call per PPO epoch). */
  public List<List<Integer>> minibatches(int size, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rollouts.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<List<Integer>> out = new ArrayList<>();
    for (int from = 0; from < order.size(); from += size) {
      out.add(order.subList(from, Math.min(order.size(), from + size)));
    }
    return out;
  }

  public List<Rollout> rollouts() {
    return rollouts;
  }

  public float[][] advantages() {
    return advantages;
  }

  public float[][] returns() {
    return returns;
  }

  public float[][] rewards() {
    return rewards;
  }
}
