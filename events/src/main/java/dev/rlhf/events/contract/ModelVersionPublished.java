package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trainer wrote a new policy or reward version: its metrics and its lineage (parent version and
 * the exact label events it was trained on); what the researcher must know about it ({@code
 * warnings}, e.g. a reward-hacking guard that stopped the run); and, for a policy, its evaluation
 * against its parent (null for reward models and older events). {@code checkpointPath} says where
 * the trainer wrote it, for people; a service loads a version from the directory of its {@link
 * VersionName} under its own checkpoints root, never from a path an event carries.
 *
 * <p>{@code labelEventIds} is empty for a version trained on more labels than one record carries
 * ({@link TrainingSnapshotPart#MAX_IDS}): its run's command names them (and the checkpoint's
 * lineage file lists them); see {@link #lineage}.
 */
public record ModelVersionPublished(
    UUID eventId,
    Instant occurredAt,
    String version,
    Kind kind,
    String parentVersion,
    UUID cycleId,
    UUID runId,
    TrainingStage stage,
    String checkpointPath,
    Map<String, Double> metrics,
    List<UUID> labelEventIds,
    List<String> warnings,
    PolicyEvaluation evaluation)
    implements PlatformEvent {

  /** What a version is: a policy (generates text) or a reward model (scores it). */
  public enum Kind {
    POLICY,
    REWARD
  }

  public ModelVersionPublished {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    VersionName.require(version, "version");
    Require.present(kind, "kind");
    Require.text(checkpointPath, "checkpointPath");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    labelEventIds = labelEventIds == null ? List.of() : List.copyOf(labelEventIds);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /**
   * What a trainer puts in {@code labelEventIds} for a run trained on {@code trainedOn}: the ids,
   * or none when they would not fit one record.
   */
  public static List<UUID> lineage(List<UUID> trainedOn) {
    return trainedOn.size() <= TrainingSnapshotPart.MAX_IDS ? trainedOn : List.of();
  }

  @Override
  public Topic topic() {
    return Topic.MODEL_VERSIONS;
  }

  @Override
  public String key() {
    return version;
  }
}
