package dev.rlhf.reward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

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
}
