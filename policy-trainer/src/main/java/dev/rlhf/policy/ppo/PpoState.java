package dev.rlhf.policy.ppo;

import dev.rlhf.policy.train.RunCheckpoint;
import java.util.List;

/**
 * What a PPO run needs besides the weights to go on where it stopped.
 *
 * @param step PPO iterations completed
 * @param klCoef the adaptive controller's beta
 * @param initialReward mean score of the first iteration (to report the gain)
 * @param start what the guards compare with (null before the first step)
 * @param bestStep the step whose weights are kept as the best, for a rollback
 * @param bestQuality the guards' quality at that step
 * @param guardWindow the guards' last observations, oldest first (empty in a state written before
 *     they were saved)
 * @param recentRewards mean scores of the last iterations (up to 3), for the final reward
 */
public record PpoState(
    int step,
    double klCoef,
    long scoreCount,
    double scoreMean,
    double scoreM2,
    double initialReward,
    PpoGuards.Baseline start,
    int bestStep,
    double bestQuality,
    List<PpoGuards.Observation> guardWindow,
    List<Double> recentRewards)
    implements RunCheckpoint.State {

  /** The state file's name in the run's work directory. */
  public static final String FILE = "ppo-state.json";

  public PpoState {
    guardWindow = guardWindow == null ? List.of() : List.copyOf(guardWindow);
    recentRewards = recentRewards == null ? List.of() : List.copyOf(recentRewards);
  }

  public static PpoState start(double klCoef) {
    return new PpoState(0, klCoef, 0, 0, 0, Double.NaN, null, 0, Double.NaN, List.of(), List.of());
  }
}
