package dev.rlhf.labeling.cycles;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A cycle as the console shows it: its state, snapshot size and stages. */
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
    List<RunView> runs) {

  /** One stage of the cycle. */
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
      Instant finishedAt) {
    static RunView of(TrainingRun r) {
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
          r.finishedAt);
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
        TrainingRun.ofCycle(c.id).stream().map(RunView::of).toList());
  }
}
