package dev.rlhf.lm.train;

import ai.djl.ndarray.NDArray;

/** Next-token losses and log-probabilities shared by pretraining, SFT and PPO. */
public final class LanguageModelLoss {

  private LanguageModelLoss() {}

  /**
   * Log-probability of each target token.
   *
   * @param logits (B, T, V)
   * @param targets (B, T) ids, long
   * @return (B, T)
   */
  public static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
    NDArray logp = logits.logSoftmax(-1); // (B, T, V)
    return logp.gather(
            targets.toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(-1), -1)
        .squeeze(-1); // (B, T)
  }

  /**
   * Mean cross-entropy over all positions.
   *
   * @param logits (B, T, V)
   * @param targets (B, T)
   * @return scalar
   */
  public static NDArray crossEntropy(NDArray logits, NDArray targets) {
    return tokenLogProbs(logits, targets).mean().neg();
  }

  /**
   * Mean cross-entropy over positions where {@code mask} is 1 (SFT: assistant tokens only).
   *
   * @param mask (B, T) floats, 1 = counts
   * @return scalar
   */
  public static NDArray maskedCrossEntropy(NDArray logits, NDArray targets, NDArray mask) {
    NDArray nll = tokenLogProbs(logits, targets).neg().mul(mask); // (B, T)
    return nll.sum().div(mask.sum().maximum(1f));
  }
}
