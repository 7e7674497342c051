package dev.rlhf.labeling.selection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Active selection's setting. */
@ConfigMapping(prefix = "rlhf.selection")
public interface SelectionSettings {

  /**
   * Held-out pairwise accuracy (0..1) a project's reward model needs before its uncertainty orders
   * the project's ranking queue. Lower than PPO's gate ({@code rlhf.gates.min-reward-accuracy}): a
   * weak reward model used by PPO gets gamed, while one that orders a queue at worst orders it
   * about as randomly as {@code random} selection does; it only has to be clearly better than
   * chance. Measured on the small held-out split of a first cycle's labels, an accuracy is noisy
   * (48 pairs give an interval of about +-0.13), so a higher bar would keep out useful first
   * models.
   */
  @WithDefault("0.6")
  double minRewardAccuracy();
}
