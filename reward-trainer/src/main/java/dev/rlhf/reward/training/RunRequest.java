package dev.rlhf.reward.training;

import dev.rlhf.events.contract.TrainingRunRequested;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One reward-model run, whether commanded over Kafka or from the command line.
 *
 * @param baseVersion a checkpoint directory, or a version name under the checkpoints directory
 * @param labelEventIds the exact snapshot of ranking events to train on
 */
public record RunRequest(
    UUID runId,
    UUID cycleId,
    String baseVersion,
    Map<String, String> hyperParameters,
    List<UUID> labelEventIds) {

  public RunRequest {
    hyperParameters = Map.copyOf(hyperParameters);
    labelEventIds = List.copyOf(labelEventIds);
  }

  public static RunRequest of(TrainingRunRequested command) {
    return new RunRequest(
        command.runId(),
        command.cycleId(),
        command.baseVersion(),
        command.hyperParameters(),
        command.labelEventIds());
  }

  /** The published version's name; fixed by the run id so a resumed run publishes the same. */
  public String version() {
    return "reward-" + runId;
  }
}
