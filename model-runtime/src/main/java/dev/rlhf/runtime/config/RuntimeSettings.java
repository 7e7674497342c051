package dev.rlhf.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/** Every tunable of the runtime, defaults in one place. */
@ConfigMapping(prefix = "rlhf.runtime")
public interface RuntimeSettings {

  /**
   * Checkpoint directory served until a policy version is promoted. Absent: the demo base,
   * pretrained once under the checkpoints directory (minutes on a CPU, then reused).
   */
  Optional<String> baseCheckpoint();

  /**
   * Pretraining steps of the demo base when it must be made (absent: the full run of {@code
   * BaseModels.DEMO_STEPS}). Fewer steps give a weaker base sooner, for trying the platform and for
   * tests of the first start; the base made is then reused as it is.
   */
  OptionalInt demoBaseSteps();

  /**
   * Generations computed at once. One by default: on a CPU parallel generations only fight over the
   * same cores, while a request's n samples are already batched into one network call.
   */
  @WithDefault("1")
  int concurrency();

  /** Generations that may wait for a free slot; beyond that the runtime answers 429. */
  @WithDefault("16")
  int queueSize();

  /**
   * Networks kept in memory; the least recently used non-default one is unloaded past this, and
   * loaded again from its checkpoint when asked for.
   */
  @WithDefault("4")
  int maxLoadedVersions();

  /** Where the runtime keeps its own small state (the ids of answered Kafka requests). */
  @WithDefault("${rlhf.checkpoints.directory}/.model-runtime")
  String stateDirectory();
}
