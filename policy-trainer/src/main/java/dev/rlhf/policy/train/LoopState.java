package dev.rlhf.policy.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FineTuningLoop} run needs besides the weights to go on where it stopped. It is
 * saved at validations, where the reporting interval starts afresh, so nothing else is in flight.
 * The loss fields keep the names SFT's state file had before DPO shared the loop, so such a file
 * still resumes.
 *
 * @param step optimizer steps completed
 * @param initialValidationLoss held-out loss before training (NaN without held-out data)
 * @param validationLoss held-out loss at the last validation
 * @param trainLoss mean training loss of the last reporting interval
 * @param bestValidationLoss the lowest held-out loss so far, whose weights are kept
 * @param bestStep the step of those weights
 * @param initialMetrics everything the validation before training reported
 * @param bestMetrics everything the validation of the kept weights reported
 */
public record LoopState(
    int step,
    float initialValidationLoss,
    float validationLoss,
    float trainLoss,
    float bestValidationLoss,
    int bestStep,
    Map<String, Double> initialMetrics,
    Map<String, Double> bestMetrics)
    implements RunCheckpoint.State {

  public static final LoopState START =
      new LoopState(0, Float.NaN, Float.NaN, Float.NaN, Float.NaN, 0, Map.of(), Map.of());

  public LoopState {
    initialMetrics = initialMetrics == null ? Map.of() : new LinkedHashMap<>(initialMetrics);
    bestMetrics = bestMetrics == null ? Map.of() : new LinkedHashMap<>(bestMetrics);
  }
}
