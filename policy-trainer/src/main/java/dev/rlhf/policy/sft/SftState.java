package dev.rlhf.policy.sft;

import dev.rlhf.policy.train.RunCheckpoint;

/**
 * What an SFT run needs besides the weights to go on where it stopped. It is saved at validations,
 * where the training-loss interval starts afresh, so nothing else is in flight.
 *
 * @param step optimizer steps completed
 * @param initialValidationLoss held-out loss before fine-tuning (NaN before it is measured, or
 *     without held-out prompts)
 * @param validationLoss held-out loss at the last validation
 * @param trainLoss mean training loss of the last reporting interval
 * @param bestValidationLoss the lowest held-out loss so far, whose weights are kept
 * @param bestStep the step of those weights
 */
public record SftState(
    int step,
    float initialValidationLoss,
    float validationLoss,
    float trainLoss,
    float bestValidationLoss,
    int bestStep)
    implements RunCheckpoint.State {

  /** The state file's name in the run's work directory. */
  public static final String FILE = "sft-state.json";

  public static final SftState START =
      new SftState(0, Float.NaN, Float.NaN, Float.NaN, Float.NaN, 0);
}
