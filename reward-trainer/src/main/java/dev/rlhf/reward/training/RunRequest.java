package dev.rlhf.reward.training;

import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.WeightedPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One reward-model run, whether commanded over Kafka or from the command line.
 *
 * @param baseVersion a checkpoint directory, or a version name under the checkpoints directory
 * @param labelEventIds the exact snapshot of ranking events to train on
 * @param weightedPairs the pairs to train on with their loss weights (the consensus of the
 *     snapshot's rankings); empty: every pair of every ranking, each of weight 1
 */
public record RunRequest(
    UUID runId,
    UUID cycleId,
    String baseVersion,
    Map<String, String> hyperParameters,
    List<UUID> labelEventIds,
    List<WeightedPair> weightedPairs) {

  public RunRequest {
    hyperParameters = Map.copyOf(hyperParameters);
    labelEventIds = List.copyOf(labelEventIds);
    weightedPairs = weightedPairs == null ? List.of() : List.copyOf(weightedPairs);
  }

  /** A run on every pair of the snapshot's rankings, each of weight 1. */
  public RunRequest(
      UUID runId,
      UUID cycleId,
      String baseVersion,
      Map<String, String> hyperParameters,
      List<UUID> labelEventIds) {
    this(runId, cycleId, baseVersion, hyperParameters, labelEventIds, List.of());
  }

  public static RunRequest of(TrainingRunRequested command) {
    return new RunRequest(
        command.runId(),
        command.cycleId(),
        command.baseVersion(),
        command.hyperParameters(),
        command.labelEventIds(),
        command.weightedPairs());
  }

  /** The published version's name; fixed by the run id so a resumed run publishes the same. */
  public String version() {
    return "reward-" + runId;
  }
}
