package dev.rlhf.policy.train;

import java.util.List;
import java.util.Map;

/** Receives a run's progress (a progress bar, progress events on Kafka, a test). */
public interface ProgressListener {

  /** After a reporting step: metrics by name and a few sample completions. */
  void onProgress(long step, long totalSteps, Map<String, Double> metrics, List<String> samples);

  /** Asked between steps; a cancelled run stops without publishing. */
  default boolean cancelled() {
    return false;
  }

  ProgressListener NONE = (step, total, metrics, samples) -> {};
}
