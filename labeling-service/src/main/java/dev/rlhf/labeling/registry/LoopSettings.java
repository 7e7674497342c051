package dev.rlhf.labeling.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The closed loop: how much fresh ranking work a promotion creates. */
@ConfigMapping(prefix = "rlhf.loop")
public interface LoopSettings {

  /** Share (0..1) of each project's prompts that get fresh completions from a promoted policy. */
  @WithDefault("0.1")
  double share();

  /** Completions requested per prompt (2..9): the K contractors rank. */
  @WithDefault("4")
  int k();
}
