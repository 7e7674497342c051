package dev.rlhf.policy.ppo;

/**
 * Mean and standard deviation of every score seen so far (Welford), for reward whitening: scores
 * become comparable to the KL penalty whatever the reward function's scale, and stay comparable
 * across batches, unlike whitening each batch on its own.
 */
public final class RunningMoments {

  private long count;
  private double mean;
  private double m2;

  public RunningMoments() {}

  /** Restores saved moments (resume). */
  public RunningMoments(long count, double mean, double m2) {
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
  }

  public void update(double[] values) {
    for (double v : values) {
      count++;
      double delta = v - mean;
      mean += delta / count;
      m2 += delta * (v - mean);
    }
  }

  public double mean() {
    return mean;
  }

  public double std() {
    return count < 2 ? 1 : Math.sqrt(m2 / (count - 1));
  }

  public long count() {
    return count;
  }

  public double m2() {
    return m2;
  }

  /** {@code value} whitened by the moments seen so far. */
  public double whiten(double value) {
    return (value - mean) / Math.max(std(), 1e-6);
  }
}
