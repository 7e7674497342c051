package dev.rlhf.policy.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over one completion:
 *
 * <pre>
 * delta_t = r_t + gamma * V(t+1) - V(t)          (V after the last token is 0: the episode ends)
 * A_t     = delta_t + gamma * lambda * A_(t+1)
 * R_t     = A_t + V(t)                           (the value head's regression target)
 * </pre>
 */
public final class Gae {

  /** Advantages and returns of each token. */
  public record Estimate(float[] advantages, float[] returns) {}

  private Gae() {}

  public static Estimate estimate(float[] rewards, float[] values, float gamma, float lambda) {
    int n = rewards.length;
    float[] advantages = new float[n];
    float[] returns = new float[n];
    float next = 0;
    float nextValue = 0;
    for (int t = n - 1; t >= 0; t--) {
      float delta = rewards[t] + gamma * nextValue - values[t];
      next = delta + gamma * lambda * next;
      advantages[t] = next;
      returns[t] = next + values[t];
      nextValue = values[t];
    }
    return new Estimate(advantages, returns);
  }
}
