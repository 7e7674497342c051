package dev.rlhf.reward.kafka;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.DecidedEvent;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.reward.training.RunReporter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reports one run on Kafka: progress every {@code progressEvery} steps and at every evaluation,
 * then the published reward version, or the failure or cancellation (as {@link TrainingRunFailed}:
 * the run stopped without a version). The run's end is a {@link DecidedEvent}: sent until the
 * broker has it, and sent again after a restart.
 */
public final class KafkaRunReporter implements RunReporter {

  private final EventPublisher publisher;
  private final Path runDirectory;
  private final UUID runId;
  private final UUID cycleId;
  private final int progressEvery;
  private final Supplier<String> cancellation;
  private final BooleanSupplier stopping;
  private Evaluation lastEvaluation;
  private long totalSteps;

  public KafkaRunReporter(
      EventPublisher publisher,
      Path runDirectory,
      UUID runId,
      UUID cycleId,
      int progressEvery,
      Supplier<String> cancellation,
      BooleanSupplier stopping) {
    this.publisher = publisher;
    this.runDirectory = runDirectory;
    this.runId = runId;
    this.cycleId = cycleId;
    this.progressEvery = progressEvery;
    this.cancellation = cancellation;
    this.stopping = stopping;
  }

  @Override
  public void onStep(long step, long totalSteps, StepMetrics m) {
    this.totalSteps = totalSteps;
    if (step % progressEvery != 0 && step != totalSteps) return;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(TrainingMetrics.LOSS, m.loss());
    metrics.put(TrainingMetrics.ACCURACY, m.accuracy());
    metrics.put("lr", m.lr());
    if (lastEvaluation != null) {
      metrics.put(TrainingMetrics.HELDOUT_LOSS, lastEvaluation.loss());
      metrics.put(TrainingMetrics.HELDOUT_ACCURACY, lastEvaluation.accuracy());
    }
    progress(step, totalSteps, metrics);
  }

  @Override
  public void onEvaluation(long step, long totalSteps, Evaluation e) {
    lastEvaluation = e;
    progress(
        step,
        totalSteps,
        Map.of(
            TrainingMetrics.HELDOUT_LOSS,
            e.loss(),
            TrainingMetrics.HELDOUT_ACCURACY,
            e.accuracy(),
            "epoch",
            (double) e.epoch()));
  }

  private void progress(long step, long totalSteps, Map<String, Double> metrics) {
    // Fire and forget: a slow broker must not stall training; the producer is idempotent.
    publisher.publish(
        new TrainingProgressReported(
            UUID.randomUUID(),
            Instant.now(),
            runId,
            cycleId,
            TrainingStage.REWARD,
            step,
            totalSteps,
            metrics,
            List.of()));
  }

  @Override
  public boolean cancelled() {
    return cancellation.get() != null || stopping.getAsBoolean();
  }

  @Override
  public boolean stopping() {
    return stopping.getAsBoolean();
  }

  @Override
  public void published(
      String version,
      String parentVersion,
      String checkpointPath,
      Map<String, Double> metrics,
      List<UUID> labelEventIds) {
    decided(
        new ModelVersionPublished(
            UUID.randomUUID(),
            Instant.now(),
            version,
            ModelVersionPublished.Kind.REWARD,
            parentVersion,
            cycleId,
            runId,
            TrainingStage.REWARD,
            checkpointPath,
            metrics,
            ModelVersionPublished.lineage(labelEventIds),
            List.of(),
            null));
  }

  @Override
  public void stoppedOnCancel(long step) {
    failed("cancelled after step " + step + " of " + totalSteps + ": " + cancellation.get());
  }

  @Override
  public void failed(String reason) {
    decided(
        new TrainingRunFailed(
            UUID.randomUUID(), Instant.now(), runId, cycleId, TrainingStage.REWARD, reason));
  }

  /** The run's end: recorded, then sent until acknowledged (again after a restart if need be). */
  private void decided(PlatformEvent end) {
    DecidedEvent.publish(publisher, runDirectory, end, stopping);
  }
}
