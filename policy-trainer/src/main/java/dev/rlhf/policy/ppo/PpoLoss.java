package dev.rlhf.policy.ppo;

import ai.djl.ndarray.NDArray;
import dev.rlhf.lm.train.Scalars;

/**
 * PPO's objective over the response tokens of a minibatch (Schulman et al. 2017):
 *
 * <pre>
 * ratio       = exp(log pi(a|s) - log pi_old(a|s))
 * policy loss = mean( max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps)) )
 * value loss  = 0.5 * mean( max((V - R)^2, (V_old + clip(V - V_old, -eps_v, eps_v) - R)^2) )
 * loss        = policy loss + c_v * value loss
 * </pre>
 *
 * The clip keeps an update from moving the policy far from the one that sampled the data, which is
 * what lets PPO take several epochs over the same rollouts.
 */
public final class PpoLoss {

  /**
   * Scalars, left on the device until the step is over.
   *
   * @param loss the scalar to differentiate
   * @param clipFraction share of tokens whose ratio was clipped
   * @param approxKl 0.5 * mean squared log-ratio: how far this epoch moved the policy
   */
  public record Terms(
      NDArray loss,
      NDArray policyLoss,
      NDArray valueLoss,
      NDArray clipFraction,
      NDArray approxKl) {}

  private final float clipRange;
  private final float clipRangeValue;
  private final float valueCoef;

  public PpoLoss(float clipRange, float clipRangeValue, float valueCoef) {
    this.clipRange = clipRange;
    this.clipRangeValue = clipRangeValue;
    this.valueCoef = valueCoef;
  }

  /** Every argument is (B, T), zero outside {@code mask}. */
  public Terms compute(
      NDArray logProbs,
      NDArray oldLogProbs,
      NDArray values,
      NDArray oldValues,
      NDArray advantages,
      NDArray returns,
      NDArray mask) {
    NDArray logRatio = logProbs.sub(oldLogProbs).mul(mask); // (B, T)
    NDArray ratio = logRatio.exp(); // (B, T)
    NDArray unclipped = advantages.neg().mul(ratio);
    NDArray clipped = advantages.neg().mul(ratio.clip(1 - clipRange, 1 + clipRange));
    NDArray policyLoss = maskedMean(unclipped.maximum(clipped), mask);

    NDArray valueClipped =
        oldValues.add(values.sub(oldValues).clip(-clipRangeValue, clipRangeValue));
    NDArray valueError = values.sub(returns).square();
    NDArray valueClippedError = valueClipped.sub(returns).square();
    NDArray valueLoss = Scalars.mul(maskedMean(valueError.maximum(valueClippedError), mask), 0.5f);

    NDArray loss = policyLoss.add(Scalars.mul(valueLoss, valueCoef));
    NDArray clipFraction =
        maskedMean(ratio.sub(1f).abs().gt(clipRange).toType(ratio.getDataType(), false), mask);
    NDArray approxKl = Scalars.mul(maskedMean(logRatio.square(), mask), 0.5f);
    return new Terms(loss, policyLoss, valueLoss, clipFraction, approxKl);
  }

  private static NDArray maskedMean(NDArray x, NDArray mask) {
    return x.mul(mask).sum().div(mask.sum().maximum(1f));
  }
}
