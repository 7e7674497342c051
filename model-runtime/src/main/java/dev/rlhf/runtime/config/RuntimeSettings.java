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
   * Sequences decoded together by the one decoding thread (continuous batching: requests join
   * between two steps and leave as they finish). A request's n samples are n rows; a request of
   * more rows than this still runs, alone. 1 decodes one request at a time, as before batching.
   */
  @WithDefault("32")
  int maxBatchRows();

  /**
   * Generations of each source (HTTP, Kafka) that may wait for room in the batch; beyond that the
   * runtime answers 429 (HTTP) or retries later (Kafka).
   */
  @WithDefault("16")
  int queueSize();

  /**
   * Kafka completion requests handled at once (one poll): their generations join the batch as HTTP
   * requests do. The Kafka side's queue holds as many, so it is never refused for being full.
   */
  @WithDefault("16")
  int kafkaRequestsInFlight();

  /**
   * Networks kept in memory; the least recently used non-default one is unloaded past this, and
   * loaded again from its checkpoint when asked for.
   */
  @WithDefault("4")
  int maxLoadedVersions();

  /**
   * Reward models (each with its check model) kept in memory for scoring completion requests that
   * name one; the least recently used is unloaded past this. Requests name a project's newest
   * reward model, so one or two cover the projects being labeled at a time.
   */
  @WithDefault("2")
  int maxLoadedRewardModels();

  /** Where the runtime keeps its own small state (the ids of answered Kafka requests). */
  @WithDefault("${rlhf.checkpoints.directory}/.model-runtime")
  String stateDirectory();
}
