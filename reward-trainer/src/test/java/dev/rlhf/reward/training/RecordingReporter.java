package dev.rlhf.reward.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Remembers what a run reported; can simulate the process being killed after a given step. */
class RecordingReporter implements RunReporter {

  /** Thrown past every handler, like the process dying: no outcome, no report. */
  static final class SimulatedKill extends Error {}

  final List<Long> steps = new ArrayList<>();
  final List<Evaluation> evaluations = new ArrayList<>();
  Map<String, Double> publishedMetrics;
  String publishedPath;
  String failure;
  Long cancelledAfter;
  private final long killAfterStep;

  RecordingReporter(long killAfterStep) {
    this.killAfterStep = killAfterStep;
  }

  @Override
  public void onStep(long step, long totalSteps, StepMetrics metrics) {
    steps.add(step);
    if (step == killAfterStep) throw new SimulatedKill();
  }

  @Override
  public void onEvaluation(long step, long totalSteps, Evaluation evaluation) {
    evaluations.add(evaluation);
  }

  @Override
  public void published(
      String version,
      String parentVersion,
      String checkpointPath,
      Map<String, Double> metrics,
      List<UUID> labelEventIds) {
    publishedMetrics = metrics;
    publishedPath = checkpointPath;
  }

  @Override
  public void failed(String reason) {
    failure = reason;
  }

  @Override
  public void stoppedOnCancel(long step) {
    cancelledAfter = step;
  }
}
