package dev.rlhf.policy.ppo;

/**
 * The coefficient beta of the KL penalty, steered towards a target KL (Ziegler et al. 2019): beta
 * grows while the policy drifts further from the reference than the target and shrinks while it
 * stays closer. The error is clipped to +-20% so one noisy batch cannot swing beta.
 */
public final class AdaptiveKlController {

  private final double target;
  private final double horizon;
  private double coef;

  public AdaptiveKlController(double initCoef, double target, double horizon) {
    this.coef = initCoef;
    this.target = target;
    this.horizon = horizon;
  }

  public double coef() {
    return coef;
  }

  /**
   * @param observedKl mean KL of the last batch (summed over each completion)
   * @param samples completions in that batch
   */
  public void update(double observedKl, int samples) {
    double error = Math.max(-0.2, Math.min(0.2, observedKl / target - 1));
    coef *= 1 + error * samples / horizon;
  }
}
