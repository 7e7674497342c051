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
 *
 * <p>{@code weightedPairs}, when not empty, are the exact pairs a REWARD or DPO stage trains on,
 * each with its weight in the loss (the consensus of overlapping rankings and the trust in their
 * contractors); the rankings of the snapshot then only supply the texts. Empty (and in commands
 * written before the field existed): every pair of every ranking, each of weight 1.
 *
 * <p>A snapshot too large for one Kafka record travels in {@code snapshotParts} {@link
 * TrainingSnapshotPart}s, published on the same topic and key just before the command; the command
 * itself then carries empty {@code labelEventIds} and {@code weightedPairs}, and a trainer puts the
 * parts back together ({@link TrainingSnapshotPart#assemble}) before it accepts the run. 0 (and in
 * commands written before the field existed): the snapshot is in the command.
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
    String evaluationRewardVersion,
    @AddedLater List<WeightedPair> weightedPairs,
    @AddedLater Integer snapshotParts)
    implements PlatformEvent {

  /** A command that carries its whole snapshot. */
  public TrainingRunRequested(
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
      String evaluationRewardVersion,
      List<WeightedPair> weightedPairs) {
    this(
        eventId,
        occurredAt,
        runId,
        cycleId,
        stage,
        baseVersion,
        rewardVersion,
        hyperParameters,
        labelEventIds,
        evaluationPrompts,
        evaluationRewardVersion,
        weightedPairs,
        0);
  }

  /** A command whose pairs are every pair of its rankings, each of weight 1. */
  public TrainingRunRequested(
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
      String evaluationRewardVersion) {
    this(
        eventId,
        occurredAt,
        runId,
        cycleId,
        stage,
        baseVersion,
        rewardVersion,
        hyperParameters,
        labelEventIds,
        evaluationPrompts,
        evaluationRewardVersion,
        List.of());
  }

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
    weightedPairs = weightedPairs == null ? List.of() : List.copyOf(weightedPairs);
    snapshotParts = snapshotParts == null ? 0 : snapshotParts;
    if (snapshotParts < 0) throw new IllegalArgumentException("snapshotParts must be >= 0");
    if (snapshotParts > 0 && !(labelEventIds.isEmpty() && weightedPairs.isEmpty())) {
      throw new IllegalArgumentException(
          "a command whose snapshot travels in parts carries no labelEventIds or weightedPairs");
    }
  }

  /** The same command with its snapshot in it (what a trainer makes of the command and parts). */
  public TrainingRunRequested withSnapshot(
      List<UUID> snapshotLabelEventIds, List<WeightedPair> snapshotWeightedPairs) {
    return with(snapshotLabelEventIds, snapshotWeightedPairs, 0);
  }

  /** The same command with another snapshot, or none and the number of its parts. */
  TrainingRunRequested with(
      List<UUID> snapshotLabelEventIds, List<WeightedPair> snapshotWeightedPairs, int parts) {
    return new TrainingRunRequested(
        eventId,
        occurredAt,
        runId,
        cycleId,
        stage,
        baseVersion,
        rewardVersion,
        hyperParameters,
        snapshotLabelEventIds,
        evaluationPrompts,
        evaluationRewardVersion,
        snapshotWeightedPairs,
        parts);
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
