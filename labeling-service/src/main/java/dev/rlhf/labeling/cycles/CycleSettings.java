package dev.rlhf.labeling.cycles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every tunable of training cycles, with its default. */
@ConfigMapping(prefix = "rlhf.cycles")
public interface CycleSettings {

  /**
   * How long a requested run may go without a trainer naming it in a heartbeat (they beat every 5
   * s, naming every run they hold, queued or waiting for labels) before it is failed as stale.
   * Longer than a trainer takes to restart, so a crash that the supervisor repairs fails nothing,
   * and than the 5 minutes a trainer gives a run's labels to arrive, during which the commands
   * behind that run wait unread.
   */
  @WithDefault("10m")
  Duration staleRunAfter();

  /**
   * The longest a cycle start's transaction may take, in seconds (read by CycleService.start's
   * transaction configuration): it freezes the label snapshot and writes the first command, a
   * minute or more for millions of labels.
   */
  @WithDefault("600")
  int startTimeoutSeconds();

  /** How often the watchdog looks for stale runs. */
  @WithDefault("30s")
  Duration watchdogInterval();
}
