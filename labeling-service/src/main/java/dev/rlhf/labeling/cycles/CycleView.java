package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.labeling.registry.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cycle as the console shows it: its state, snapshot size and filter, and stages; a stage's
 * version brings its warnings and its evaluation against its parent.
 */
public record CycleView(
    UUID id,
    UUID projectId,
    CycleState state,
    String baseVersion,
    String rewardVersion,
    String failureReason,
    String createdBy,
    Instant createdAt,
    Instant finishedAt,
    LabelSnapshot.Counts snapshot,
    String rewardGateOverride,
    List<String> warnings,
    UUID retryOf,
    SnapshotFilter snapshotFilter,
    List<RunView> runs) {

  /**
   * One stage of the cycle; {@code workerId} and {@code lastSeenAt} say which trainer last named it
   * in a heartbeat while it was requested, and when.
   */
  public record RunView(
      UUID runId,
      int position,
      String stage,
      RunState state,
      String baseVersion,
      String rewardVersion,
      String producedVersion,
      String failureReason,
      Map<String, String> hyperParameters,
      Instant requestedAt,
      Instant finishedAt,
      List<String> warnings,
      PolicyEvaluation evaluation,
      String workerId,
      Instant lastSeenAt) {
    static RunView of(TrainingRun r) {
      ModelVersion produced =
          r.producedVersion == null ? null : ModelVersion.findById(r.producedVersion);
      return new RunView(
          r.id,
          r.position,
          r.stage.name(),
          r.state,
          r.baseVersion,
          r.rewardVersion,
          r.producedVersion,
          r.failureReason,
          r.hyperParameters,
          r.requestedAt,
          r.finishedAt,
          produced == null || produced.warnings == null ? List.of() : produced.warnings,
          produced == null ? null : produced.evaluation,
          r.workerId,
          r.lastSeenAt);
    }
  }

  public static CycleView of(TrainingCycle c, LabelSnapshot.Counts counts) {
    return new CycleView(
        c.id,
        c.projectId,
        c.state,
        c.baseVersion,
        c.rewardVersion,
        c.failureReason,
        c.createdBy,
        c.createdAt,
        c.finishedAt,
        counts,
        c.rewardGateOverride,
        c.warnings == null ? List.of() : c.warnings,
        c.retryOf,
        c.snapshotFilter,
        TrainingRun.ofCycle(c.id).stream().map(RunView::of).toList());
  }
}
