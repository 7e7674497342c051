package dev.rlhf.reward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where reward-trainer keeps its data and how long it waits for labels. The hyper-parameters of a
 * run are not here: they come with each run ({@code RewardTrainingOptions}).
 */
@ConfigMapping(prefix = "rlhf.reward")
public interface RewardTrainerSettings {

  /**
   * Root of the checkpoints shared with the other workers; published reward versions land directly
   * under it, this worker's own data (ranking store, run directories) under {@code
   * reward-trainer/}.
   */
  Path checkpointsDirectory();

  /**
   * How long a run waits for the label events its snapshot names: rankings and the training command
   * travel on different topics, so the command can overtake the last rankings.
   */
  @WithDefault("60s")
  Duration snapshotWait();

  /**
   * This replica's name where several reward-trainers share the checkpoints and the broker (a
   * StatefulSet pod's name, say): each replica then keeps its own state under {@code
   * reward-trainer/replicas/<name>/} and reads every ranking in a consumer group of its own, while
   * all share one group for the training commands, so each run is taken by exactly one of them. A
   * replica must keep its name across restarts to resume its runs. Unset: the trainer runs alone.
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
