package dev.rlhf.reward.service;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingRunCancelled;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingSnapshotPart;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.kafka.DecidedEvent;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.Devices;
import dev.rlhf.reward.config.KafkaSettings;
import dev.rlhf.reward.config.RewardTrainerSettings;
import dev.rlhf.reward.kafka.KafkaRunReporter;
import dev.rlhf.reward.training.RewardRun;
import dev.rlhf.reward.training.RewardTrainingOptions;
import dev.rlhf.reward.training.RunDirectory;
import dev.rlhf.reward.training.RunRequest;
import dev.rlhf.training.LabelStore;
import dev.rlhf.training.SnapshotParts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The worker: ingests rankings into the label store and runs REWARD training commands one at a time
 * on its own thread (so the consumers keep ingesting, and can cancel, while a run trains). Rankings
 * and commands have a consumer loop each: replicas share the commands' group and each reads every
 * ranking in its own ({@link RewardTrainerSettings#replica}). A command's offset is committed when
 * the run is accepted; the run's directory holds its request, so runs without an outcome are
 * resumed at startup from their last checkpoint.
 */
@ApplicationScoped
public class RewardTrainerService {

  private static final String REQUEST_FILE = "request.json";

  private final KafkaSettings kafka;
  private final RewardTrainerSettings settings;
  private final MeterRegistry meters;

  /** The runs accepted and not ended, with the reason of their cancellation once cancelled. */
  private final Map<UUID, AtomicReference<String>> active = new ConcurrentHashMap<>();

  private final AtomicBoolean stopping = new AtomicBoolean();
  private LabelStore<RankingSubmitted> store;
  private SnapshotParts parts;

  /** A run whose command waits for the rest of its snapshot's parts, for heartbeats. */
  private volatile UUID awaitingParts;

  private RewardRun runner;
  private EventPublisher publisher;
  private ExecutorService executor;
  private EventConsumerLoop labels;
  private EventConsumerLoop commands;

  RewardTrainerService(KafkaSettings kafka, RewardTrainerSettings settings, MeterRegistry meters) {
    this.kafka = kafka;
    this.settings = settings;
    this.meters = meters;
  }

  void start(@Observes StartupEvent event) {
    Path root = settings.checkpointsDirectory();
    String replica = settings.replica().orElse(null);
    Path state = RewardRun.stateDirectory(root, replica);
    store = LabelStore.open(state.resolve("rankings.jsonl"), RankingSubmitted.class);
    Log.infof("ranking store %s holds %d rankings", store.file(), store.size());
    Gauge.builder("rlhf.trainer.labels.received", store, LabelStore::size)
        .description("distinct labels this trainer has received and kept")
        .tag("type", "ranking")
        .register(meters);
    // Beside the replicas' own directories: any replica may be handed a command whose parts
    // another one read before a rebalance.
    parts = new SnapshotParts(root.resolve("reward-trainer").resolve("snapshot-parts"));
    runner =
        new RewardRun(
            root,
            state,
            store,
            settings.snapshotWait(),
            Devices.forTraining(settings.trainingDevices()));
    publisher = new EventPublisher(kafka.bootstrapServers(), "reward-trainer-runs");
    executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "reward-run"));
    resumeUnfinishedRuns(state);
    // Every replica reads every ranking (a group of its own); the commands' group is shared, so
    // each run, the commands' key, is taken by one replica.
    labels =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-labels" + (replica == null ? "" : "-" + replica),
                List.of(Topic.RANKINGS),
                this::handle)
            .start();
    commands =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId(),
                List.of(Topic.TRAINING_COMMANDS),
                this::handle)
            .start();
  }

  /** Idempotent by event id (rankings) and run id (commands): redelivery changes nothing. */
  void handle(PlatformEvent event) {
    if (event instanceof RankingSubmitted ranking) {
      store.accept(ranking);
    } else if (event instanceof TrainingSnapshotPart part && part.stage() == TrainingStage.REWARD) {
      parts.accept(part);
    } else if (event instanceof TrainingRunRequested command
        && command.stage() == TrainingStage.REWARD) {
      awaitingParts = command.runId(); // named in heartbeats while its parts are awaited
      Optional<TrainingRunRequested> whole =
          parts.join(command, settings.snapshotWait(), publisher::publishAndWait);
      awaitingParts = null;
      if (whole.isPresent()) {
        submit(whole.get());
        parts.discard(command.runId());
      }
    } else if (event instanceof TrainingRunCancelled cancel) {
      AtomicReference<String> cancellation = active.get(cancel.runId());
      if (cancellation != null) {
        Log.infof("cancelling reward run %s: %s", cancel.runId(), cancel.reason());
        cancellation.set(cancel.reason() == null ? "cancelled" : cancel.reason());
      }
    }
  }

  private void submit(TrainingRunRequested command) {
    RunDirectory dir = runner.directory(command.runId());
    if (dir.outcome().isPresent() || active.containsKey(command.runId())) {
      Log.infof("reward run %s is already known; ignoring the command", command.runId());
      return;
    }
    try {
      Files.createDirectories(dir.path());
      Path request = dir.path().resolve(REQUEST_FILE);
      if (!Files.exists(request)) Files.writeString(request, EventCodec.toJson(command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record run " + command.runId(), e);
    }
    AtomicReference<String> cancellation = new AtomicReference<>();
    active.put(command.runId(), cancellation);
    executor.submit(() -> run(command, cancellation));
  }

  private void run(TrainingRunRequested command, AtomicReference<String> cancellation) {
    RunDirectory dir = runner.directory(command.runId());
    try {
      Optional<PlatformEvent> decided = DecidedEvent.find(dir.path());
      if (decided.isPresent()) {
        sendAgain(dir, decided.get());
        return;
      }
      int progressEvery = progressEvery(command);
      var reporter =
          new KafkaRunReporter(
              publisher,
              dir.path(),
              command.runId(),
              command.cycleId(),
              progressEvery,
              cancellation::get,
              stopping::get);
      var outcome = runner.execute(RunRequest.of(command), reporter);
      Log.infof("reward run %s: %s %s", command.runId(), outcome.status(), outcome.detail());
    } catch (RuntimeException e) {
      if (!stopping.get()) throw e;
      Log.infof("reward run %s stopped with the worker; it resumes on restart", command.runId());
    } finally {
      active.remove(command.runId());
    }
  }

  /** A run that ended before a restart: only its end is sent again, nothing is trained. */
  private void sendAgain(RunDirectory dir, PlatformEvent end) {
    DecidedEvent.publish(publisher, dir.path(), end, stopping::get);
    RunDirectory.RunOutcome outcome =
        end instanceof ModelVersionPublished published
            ? new RunDirectory.RunOutcome("SUCCEEDED", published.checkpointPath())
            : new RunDirectory.RunOutcome("FAILED", ((TrainingRunFailed) end).reason());
    dir.saveOutcome(outcome);
    Log.infof("reward run %s: %s, sent again after a restart", end, outcome.status());
  }

  /** The runs accepted and not ended (queued, awaiting labels or training), for heartbeats. */
  public Set<UUID> heldRuns() {
    Set<UUID> held = new HashSet<>(active.keySet());
    UUID waiting = awaitingParts;
    if (waiting != null) held.add(waiting);
    return Set.copyOf(held);
  }

  private static int progressEvery(TrainingRunRequested command) {
    try {
      return RewardTrainingOptions.defaults().with(command.hyperParameters()).progressEvery();
    } catch (IllegalArgumentException e) {
      return RewardTrainingOptions.defaults().progressEvery(); // the run itself reports the error
    }
  }

  private void resumeUnfinishedRuns(Path state) {
    Path runs = RewardRun.runsDirectory(state);
    if (!Files.isDirectory(runs)) return;
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path dir : dirs.sorted().toList()) {
        Path request = dir.resolve(REQUEST_FILE);
        if (Files.exists(request) && new RunDirectory(dir).outcome().isEmpty()) {
          Log.infof("resuming unfinished reward run in %s", dir);
          submit((TrainingRunRequested) EventCodec.fromJson(Files.readString(request)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runs, e);
    }
  }

  /** Reads of the store, for tests and health. */
  public LabelStore<RankingSubmitted> store() {
    return store;
  }

  void stop(@Observes ShutdownEvent event) {
    stopping.set(true);
    if (commands != null) commands.close();
    if (labels != null) labels.close();
    if (executor != null) {
      executor.shutdown();
      try {
        // A step finishes before the network's memory is freed; the run resumes on restart.
        if (!executor.awaitTermination(60, TimeUnit.SECONDS)) executor.shutdownNow();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (publisher != null) publisher.close();
    if (store != null) store.close();
  }
}
