package dev.rlhf.policy.kafka;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.events.kafka.RetryLater;
import dev.rlhf.lm.Devices;
import dev.rlhf.policy.config.KafkaSettings;
import dev.rlhf.policy.config.PolicyTrainerSettings;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.training.LabelStore;
import dev.rlhf.training.SnapshotParts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Kafka side of the trainer. Labels (demonstrations and rankings) and commands are consumed by
 * two loops in their own consumer groups: a command waiting for its snapshot (retried by its loop)
 * must not hold up the labels it waits for. Replicas share the commands' group, so each run (the
 * commands' key) is taken by one of them, and each reads every label in a group of its own, since
 * any of them may be given a run that needs any label.
 */
@ApplicationScoped
public class PolicyTrainerWorker {

  /** How long a command waits for the labels of its snapshot to arrive. */
  private static final Duration SNAPSHOT_WAIT = Duration.ofMinutes(5);

  private final KafkaSettings kafka;
  private final PolicyTrainerSettings settings;
  private final MeterRegistry meters;
  private PolicyLabels store;
  private SnapshotParts parts;
  private EventPublisher publisher;
  private TrainingRunner runner;
  private EventConsumerLoop labels;
  private EventConsumerLoop commands;
  private volatile UUID awaitingLabels;

  PolicyTrainerWorker(KafkaSettings kafka, PolicyTrainerSettings settings, MeterRegistry meters) {
    this.kafka = kafka;
    this.settings = settings;
    this.meters = meters;
  }

  void start(@Observes StartupEvent event) {
    CheckpointDirectory checkpoints =
        new CheckpointDirectory(settings.directory(), settings.replica().orElse(null));
    store = PolicyLabels.open(checkpoints.trainerState());
    parts = new SnapshotParts(checkpoints.snapshotParts());
    receivedGauge("demonstration", store.demonstrations());
    receivedGauge("ranking", store.rankings());
    publisher = new EventPublisher(kafka.bootstrapServers(), "policy-trainer");
    runner =
        new TrainingRunner(
            checkpoints,
            store,
            RewardSource.rewardModels(checkpoints),
            publisher,
            Devices.forTraining(settings.trainingDevices()));
    runner.resumeUnfinished();
    labels =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-labels" + settings.replica().map(r -> "-" + r).orElse(""),
                List.of(Topic.DEMONSTRATIONS, Topic.RANKINGS),
                e -> {
                  if (e instanceof DemonstrationSubmitted d) {
                    store.demonstrations().accept(d);
                  } else if (e instanceof RankingSubmitted r) {
                    store.rankings().accept(r);
                  }
                })
            .start();
    commands =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-commands",
                List.of(Topic.TRAINING_COMMANDS),
                this::onCommand)
            .start();
  }

  private void receivedGauge(String type, LabelStore<?> labels) {
    Gauge.builder("rlhf.trainer.labels.received", labels, LabelStore::size)
        .description("distinct labels this trainer has received and kept")
        .tag("type", type)
        .register(meters);
  }

  private void onCommand(Object event) {
    if (event instanceof TrainingSnapshotPart part && part.stage() != TrainingStage.REWARD) {
      parts.accept(part);
    } else if (event instanceof TrainingRunRequested sent && sent.stage() != TrainingStage.REWARD) {
      awaitingLabels = sent.runId(); // named in heartbeats while its parts or labels are awaited
      Optional<TrainingRunRequested> whole =
          parts.join(sent, SNAPSHOT_WAIT, publisher::publishAndWait);
      if (whole.isEmpty()) {
        awaitingLabels = null;
        return;
      }
      TrainingRunRequested r = whole.get();
      List<java.util.UUID> missing = store.missing(r.labelEventIds());
      if (!missing.isEmpty() && r.occurredAt().plus(SNAPSHOT_WAIT).isAfter(Instant.now())) {
        // The loop retries it: the snapshot's labels are still on their way. After SNAPSHOT_WAIT
        // the run is started anyway and fails, naming what is missing.
        throw new RetryLater(missing.size() + " labels of run " + r.runId() + " not received yet");
      }
      awaitingLabels = null;
      runner.accept(r);
      parts.discard(r.runId());
    } else if (event instanceof TrainingRunCancelled c) {
      runner.cancel(c.runId(), c.reason());
    }
  }

  /** The runs this trainer holds, for its heartbeats: accepted ones, and one awaiting labels. */
  public Set<UUID> heldRuns() {
    Set<UUID> runs = new HashSet<>(runner == null ? Set.of() : runner.held());
    UUID waiting = awaitingLabels;
    if (waiting != null) runs.add(waiting);
    return runs;
  }

  /** The store, for the health of the service and for tests. */
  public PolicyLabels store() {
    return store;
  }

  void stop(@Observes ShutdownEvent event) {
    if (commands != null) commands.close();
    if (labels != null) labels.close();
    if (runner != null) runner.close();
    if (publisher != null) publisher.close();
    if (store != null) store.close();
  }
}
