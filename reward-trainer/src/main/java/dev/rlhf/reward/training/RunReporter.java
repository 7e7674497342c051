package dev.rlhf.reward.training;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where a run reports: Kafka events in the service, a progress bar on the command line. */
public interface RunReporter extends RunListener {

  /** The run succeeded and its reward version lies at {@code checkpointPath}. */
  void published(
      String version,
      String parentVersion,
      String checkpointPath,
      Map<String, Double> metrics,
      List<UUID> labelEventIds);

  /** The run stopped without a version. */
  void failed(String reason);

  /** The run stopped on a cancellation after {@code step} steps; nothing was published. */
  void stoppedOnCancel(long step);

  /**
   * True while the worker shuts down: the run then stops like a cancelled one but records no
   * outcome, so it resumes from its last checkpoint on restart.
   */
  default boolean stopping() {
    return false;
  }
}
