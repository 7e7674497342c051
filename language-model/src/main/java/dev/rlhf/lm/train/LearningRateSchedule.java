package dev.rlhf.lm.train;

/**
 * Linear warm-up to {@code maxLr}, then cosine decay to {@code minLr} at {@code decaySteps}, flat
 * afterwards (nanoGPT's schedule). Warm-up keeps Adam's early, noisy moment estimates from taking
 * large steps.
 */
public record LearningRateSchedule(float maxLr, float minLr, int warmupSteps, int decaySteps) {

  public LearningRateSchedule {
    if (warmupSteps < 0 || decaySteps < warmupSteps || minLr > maxLr) {
      throw new IllegalArgumentException("bad schedule: " + this);
    }
  }

  /** The learning rate for 0-based optimizer step {@code step}. */
  public float at(int step) {
    if (step < warmupSteps) {
      return maxLr * (step + 1) / warmupSteps;
    }
    if (step >= decaySteps) {
      return minLr;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, decaySteps - warmupSteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return (float) (minLr + cosine * (maxLr - minLr));
  }
}
