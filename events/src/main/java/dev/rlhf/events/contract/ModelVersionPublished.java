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

  @Override
  public Topic topic() {
    return Topic.MODEL_VERSIONS;
  }

  @Override
  public String key() {
    return version;
  }
}
