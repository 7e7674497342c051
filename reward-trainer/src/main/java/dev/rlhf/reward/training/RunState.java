package dev.rlhf.reward.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands, saved in its directory next to the resumable checkpoint of the same step.
 *
 * @param step optimizer steps done
 * @param bestLoss lowest held-out loss so far (the early-stopping criterion)
 * @param bestAccuracy held-out accuracy at that best evaluation
 * @param bestStep step of the best evaluation (its weights are in {@code best/})
 * @param epochsWithoutImprovement consecutive evaluations that did not beat the best
 * @param evaluations every held-out evaluation so far
 */
public record RunState(
    long step,
    double bestLoss,
    double bestAccuracy,
    long bestStep,
    int epochsWithoutImprovement,
    List<RunListener.Evaluation> evaluations) {

  public RunState {
    evaluations = List.copyOf(evaluations);
  }

  static RunState fresh() {
    // MAX_VALUE rather than infinity: the state is JSON, which has no infinity.
    return new RunState(0, Double.MAX_VALUE, 0, -1, 0, List.of());
  }

  RunState atStep(long newStep) {
    return new RunState(
        newStep, bestLoss, bestAccuracy, bestStep, epochsWithoutImprovement, evaluations);
  }

  /** The state after an evaluation; {@link #improvedAt} tells whether it became the best. */
  RunState evaluated(RunListener.Evaluation e) {
    List<RunListener.Evaluation> all = new ArrayList<>(evaluations);
    all.add(e);
    if (e.loss() < bestLoss) {
      return new RunState(step, e.loss(), e.accuracy(), step, 0, all);
    }
    return new RunState(step, bestLoss, bestAccuracy, bestStep, epochsWithoutImprovement + 1, all);
  }

  boolean improvedAt(long atStep) {
    return bestStep == atStep;
  }
}
