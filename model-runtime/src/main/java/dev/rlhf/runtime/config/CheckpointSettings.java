package dev.rlhf.runtime.config;

import io.smallrye.config.ConfigMapping;

/** The checkpoints directory shared with the trainers. */
@ConfigMapping(prefix = "rlhf.checkpoints")
public interface CheckpointSettings {

  String directory();
}
