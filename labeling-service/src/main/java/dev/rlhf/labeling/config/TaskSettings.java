package dev.rlhf.labeling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every tunable of the task manager, with its default. */
@ConfigMapping(prefix = "rlhf.tasks")
public interface TaskSettings {

  /** How long a contractor holds a slot before it returns to the pool. */
  @WithDefault("30m")
  Duration leaseDuration();

  /** How often expired leases are swept back into the pool. */
  @WithDefault("30s")
  Duration leaseSweepInterval();

  /** Open (active) assignments one contractor may hold at once. */
  @WithDefault("3")
  int maxOpenAssignmentsPerContractor();

  /** Default overlap of demonstration and correction tasks of a new project. */
  @WithDefault("1")
  int demonstrationOverlap();

  /** Default overlap of ranking and comparison tasks of a new project. */
  @WithDefault("3")
  int rankingOverlap();

  /** Longest text accepted anywhere (responses, prompt turns, reasons), in UTF-8 bytes. */
  @WithDefault("32768")
  int maxTextBytes();

  /**
   * Most UTF-8 bytes of all turns of a prompt together. Every event that carries a prompt must stay
   * under the Kafka producer's 1 MB record limit: the largest, a ranking of 9 completions of 32 KB
   * each, stays under 400 KB with a prompt of this size.
   */
  @WithDefault("65536")
  int maxPromptBytes();
}
