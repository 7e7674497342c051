package dev.rlhf.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where checkpoints (shared with the other workers) and this trainer's state live, and what it
 * trains on.
 */
@ConfigMapping(prefix = "rlhf.checkpoints")
public interface PolicyTrainerSettings {

  /** The shared checkpoints directory; versions are published directly under it. */
  Path directory();

  /**
   * This replica's name where several policy-trainers share the directory and the broker (a
   * StatefulSet pod's name, say): each replica then keeps its own state and reads every label in a
   * consumer group of its own, while all share one group for the training commands, so each run is
   * taken by exactly one of them. A replica must keep its name across restarts to resume its runs.
   * Unset: the trainer runs alone.
   */
  Optional<String> replica();

  /**
   * How many GPUs a run trains on, data-parallel: 0 (the default) for every GPU the process sees
   * (so a pod's {@code nvidia.com/gpu} request decides), 1 to train on the first alone. Without a
   * GPU runs train on the CPU. ({@code TRAINING_DEVICES})
   */
  @WithDefault("0")
  int trainingDevices();
}
