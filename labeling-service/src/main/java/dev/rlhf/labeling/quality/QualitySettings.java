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

  /** Below this mean pairwise agreement with peers, likewise (empty: no check). */
  @WithDefault("0.5")
  Optional<Double> minAgreement();

  /** What happens to the rankings of a contractor under a threshold. */
  @WithDefault("DOWN_WEIGHT")
  TrustRule.BelowThreshold belowThreshold();

  /** The trust weight of a down-weighted contractor, in (0, 1]. */
  @WithDefault("0.25")
  double downWeight();
}
