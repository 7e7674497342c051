package dev.rlhf.policy.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** Where checkpoints (shared with the other workers) and this trainer's state live. */
@ConfigMapping(prefix = "rlhf.checkpoints")
public interface PolicyTrainerSettings {

  /** The shared checkpoints directory; versions are published directly under it. */
  Path directory();
}
