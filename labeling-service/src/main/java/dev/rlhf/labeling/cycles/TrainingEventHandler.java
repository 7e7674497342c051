package dev.rlhf.labeling.cycles;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.events.contract.TrainingProgressReported;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.domain.ModelText;
import dev.rlhf.labeling.registry.ModelVersion;
import dev.rlhf.labeling.registry.RegistryService;
import dev.rlhf.labeling.service.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * What the trainers report, applied once per event id: progress rows, failures, and published
 * versions (into the registry, then on to the cycle's next stage). The event id is recorded in the
 * same transaction as the effect, so a redelivery changes nothing.
 */
@ApplicationScoped
public class TrainingEventHandler {

  static final String CONSUMER = "labeling-service.training-cycles";

  private final EntityManager entityManager;
  private final StageChaining chaining;
  private final RegistryService registry;
  private final ProcessedEvents processedEvents;
  private final RewardGate gate;
  private final LabelSnapshot snapshot;

  TrainingEventHandler(
      EntityManager entityManager,
      StageChaining chaining,
      RegistryService registry,
      ProcessedEvents processedEvents,
      RewardGate gate,
      LabelSnapshot snapshot) {
    this.entityManager = entityManager;
    this.chaining = chaining;
    this.registry = registry;
    this.processedEvents = processedEvents;
    this.gate = gate;
    this.snapshot = snapshot;
  }

  @Transactional
  public void handle(PlatformEvent event) {
    boolean relevant =
        event instanceof TrainingProgressReported
            || event instanceof TrainingRunFailed
            || event instanceof ModelVersionPublished;
    if (!relevant || !firstDelivery(event)) return;
    if (event instanceof TrainingProgressReported progress) {
      storeProgress(progress);
    } else if (event instanceof TrainingRunFailed failure) {
      TrainingRun run = TrainingRun.findById(failure.runId());
      if (run != null) chaining.failed(run, failure.reason());
    } else if (event instanceof ModelVersionPublished published) {
      TrainingRun run = published.runId() == null ? null : TrainingRun.findById(published.runId());
      ModelVersion rewardModel =
          run == null || run.rewardVersion == null
              ? null
              : ModelVersion.findById(run.rewardVersion);
      registry.record(
          published,
          run == null ? null : run.rewardVersion,
          gateNote(run, rewardModel),
          vouched(run, rewardModel, published));
      if (run != null && published.labelEventIds().isEmpty()) {
        snapshot.recordLineage(published.version(), run.cycleId, run.stage);
      }
      if (run != null) chaining.published(run, published);
    }
  }

  /** A PPO version trained past the reward-model gate says so, with the researcher's reason. */
  private List<String> gateNote(TrainingRun run, ModelVersion rewardModel) {
    if (run == null || run.stage != TrainingStage.PPO) return List.of();
    TrainingCycle cycle = TrainingCycle.findById(run.cycleId);
    if (cycle == null || cycle.rewardGateOverride == null) return List.of();
    // A reason given for a reward model that passed the gate after all needs no note.
    if (rewardModel != null && gate.refusal(run.rewardVersion, rewardModel.metrics) == null) {
      return List.of();
    }
    return List.of(
        "trained against "
            + run.rewardVersion
            + " although it was below the reward-model gate; the reason given: "
            + cycle.rewardGateOverride);
  }

  /**
   * The evaluation as the registry keeps it: a PPO version's evaluation judged by the check model
   * of a reward model below the gate did not pass, whatever its counts say (a weak judge would wave
   * a worse policy through).
   */
  private PolicyEvaluation vouched(
      TrainingRun run, ModelVersion rewardModel, ModelVersionPublished published) {
    PolicyEvaluation e = published.evaluation();
    if (e == null || !e.passed() || e.judgedBy() == null) return e;
    if (run == null || run.stage != TrainingStage.PPO || run.rewardVersion == null) return e;
    String why =
        gate.untrustedJudge(run.rewardVersion, rewardModel == null ? null : rewardModel.metrics);
    return why == null ? e : e.notPassing(why);
  }

  private boolean firstDelivery(PlatformEvent event) {
    return processedEvents.firstDelivery(CONSUMER, event.eventId());
  }

  /** Progress of a run this service did not request (another tool's) is not kept. */
  private void storeProgress(TrainingProgressReported progress) {
    entityManager
        .createNativeQuery(
            "insert into training_progress (event_id, cycle_id, run_id, stage, step, total_steps,"
                + " metrics, samples, reported_at)"
                + " select ?1, r.cycle_id, r.id, ?2, ?3, ?4, cast(?5 as jsonb), cast(?6 as jsonb), ?7"
                + " from training_run r where r.id = ?8 on conflict (event_id) do nothing")
        .setParameter(1, progress.eventId())
        .setParameter(2, progress.stage().name())
        .setParameter(3, progress.step())
        .setParameter(4, progress.totalSteps())
        .setParameter(5, json(progress.metrics()))
        .setParameter(6, json(progress.samples().stream().map(ModelText::storable).toList()))
        .setParameter(7, progress.occurredAt())
        .setParameter(8, progress.runId())
        .executeUpdate();
  }

  private static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("progress cannot be written as JSON", e);
    }
  }
}
