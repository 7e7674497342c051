package dev.rlhf.events.contract;

import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A researcher started a training stage. The trainer trains on exactly the labels listed in {@code
 * labelEventIds} (the frozen snapshot), starting from {@code baseVersion}. A policy stage evaluates
 * its version against its parent on {@code evaluationPrompts} (the project's held-out set; empty:
 * the snapshot's own held-out prompts), judged by the check model of {@code
 * evaluationRewardVersion} where the stage has no reward model of its own (null: none).
 */
public record TrainingRunRequested(
    UUID eventId,
    Instant occurredAt,
    UUID runId,
    UUID cycleId,
    TrainingStage stage,
    String baseVersion,
    String rewardVersion,
    Map<String, String> hyperParameters,
    List<UUID> labelEventIds,
    List<List<ChatTurn>> evaluationPrompts,
    String evaluationRewardVersion)
    implements PlatformEvent {

  public TrainingRunRequested {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.present(runId, "runId");
    Require.present(stage, "stage");
    VersionName.require(baseVersion, "baseVersion");
    if (rewardVersion != null) VersionName.require(rewardVersion, "rewardVersion");
    if (evaluationRewardVersion != null) {
      VersionName.require(evaluationRewardVersion, "evaluationRewardVersion");
    }
    hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
    labelEventIds = labelEventIds == null ? List.of() : List.copyOf(labelEventIds);
    evaluationPrompts =
        evaluationPrompts == null
            ? List.of()
            : evaluationPrompts.stream().map(List::copyOf).toList();
  }

  @Override
  public Topic topic() {
    return Topic.TRAINING_COMMANDS;
  }

  @Override
  public String key() {
    return runId.toString();
  }
}
