package dev.rlhf.labeling.quality;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The default quality thresholds: what the contractor quality table flags, and what a cycle that
 * asks for consensus uses unless it names its own.
 */
@ConfigMapping(prefix = "rlhf.quality")
public interface QualitySettings {

  /** Below this share of gold pairs met, a contractor is under the threshold (empty: no check). */
  @WithDefault("0.7")
  Optional<Double> minGoldAccuracy();

  /**
   * Below this mean pairwise agreement with peers, likewise (empty: no check). The default asks of
   * agreement the skill the gold default asks of gold answers: a contractor who meets 0.7 of the
   * pairs agrees with peers who are right on 0.75 of them on 1/2 + 2 (0.7 - 1/2) (0.75 - 1/2) = 0.6
   * of the pairs. A threshold at chance (0.5) could never flag a contractor at chance confidently,
   * since their figure sits on it.
   */
  @WithDefault("0.6")
  Optional<Double> minAgreement();

  /** What happens to the rankings of a contractor under a threshold. */
  @WithDefault("DOWN_WEIGHT")
  TrustRule.BelowThreshold belowThreshold();

  /**
   * The most a down-weighted contractor weighs, in (0, 1]; the rule grades it down by how far under
   * they are ({@link TrustRule}).
   */
  @WithDefault("0.25")
  double downWeight();

  /**
   * How sure a figure must be to flag a contractor: the one-sided confidence that it is under its
   * threshold given how many gold answers or comparisons it rests on, in [0.5, 1); 0.5 flags on the
   * figure alone.
   */
  @WithDefault("0.95")
  double confidence();
}
