package dev.rlhf.policy.kafka;

import ai.djl.Device;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.TrainingRunFailed;
import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.kafka.DecidedEvent;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.lm.Devices;
import dev.rlhf.policy.data.PolicyLabels;
import dev.rlhf.policy.ppo.RewardSource;
import dev.rlhf.policy.train.CheckpointDirectory;
import dev.rlhf.policy.train.PolicyRun;
import dev.rlhf.policy.train.RunOutcome;
import dev.rlhf.policy.train.RunRequest;
import dev.rlhf.policy.train.TrainingCancelledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training commands one at a time on its own thread (training takes minutes; the consumer must
 * keep polling). An accepted command is written into its run directory first and an outcome file is
 * written when the run ends, so runs without an outcome are resumed at startup, and a redelivered
 * command for a run that is known changes nothing. A run that stops without a version, failed or
 * cancelled, is reported as {@link TrainingRunFailed} with the reason. The event that ends a run is
 * a {@link DecidedEvent}: sent until the broker has it, and sent again after a restart.
 */
public final class TrainingRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);
  private static final String REQUEST_FILE = "request.json";
  private static final String OUTCOME_FILE = "outcome.txt";

  private final CheckpointDirectory checkpoints;
  private final PolicyLabels store;
  private final RewardSource rewards;
  private final EventPublisher publisher;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "policy-training"));
  private final Set<UUID> known = ConcurrentHashMap.newKeySet();
  private final Set<UUID> held = ConcurrentHashMap.newKeySet();

  /** Cancellation reasons by run; a run is stopped at its next step once it is here. */
  private final Map<UUID, String> cancelled = new ConcurrentHashMap<>();

  /**
   * Set at shutdown: the running run stops like a cancelled one but records nothing, so it resumes.
   */
  private volatile boolean stopping;

  private final List<Device> devices;

  /**
   * @param devices what runs train on, data-parallel ({@link Devices#forTraining})
   */
  public TrainingRunner(
      CheckpointDirectory checkpoints,
      PolicyLabels store,
      RewardSource rewards,
      EventPublisher publisher,
      List<Device> devices) {
    this.devices = List.copyOf(devices);
    this.checkpoints = checkpoints;
    this.store = store;
    this.rewards = rewards;
    this.publisher = publisher;
  }

  /** Accepts a command once: records it durably, then queues it. */
  public void accept(TrainingRunRequested command) {
    Path dir = checkpoints.run(command.runId());
    if (!known.add(command.runId()) || Files.exists(dir.resolve(REQUEST_FILE))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(REQUEST_FILE), EventCodec.toJson(command));
    } catch (IOException e) {
      known.remove(command.runId());
      throw new UncheckedIOException("cannot record run " + command.runId(), e);
    }
    held.add(command.runId());
    executor.submit(() -> run(command));
  }

  public void cancel(UUID runId, String reason) {
    cancelled.put(runId, reason == null ? "cancelled" : reason);
  }

  /** Queues every recorded run that has no outcome yet (the process died during it). */
  public void resumeUnfinished() {
    Path runs = checkpoints.trainerState().resolve("runs");
    if (!Files.isDirectory(runs)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(runs)) {
      for (Path dir : dirs.sorted().toList()) {
        Path request = dir.resolve(REQUEST_FILE);
        if (Files.isRegularFile(request) && !Files.exists(dir.resolve(OUTCOME_FILE))) {
          var command = (TrainingRunRequested) EventCodec.fromJson(Files.readString(request));
          if (known.add(command.runId())) {
            LOG.info("resuming unfinished run {}", command.runId());
            held.add(command.runId());
            executor.submit(() -> run(command));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs under " + runs, e);
    }
  }

  private void run(TrainingRunRequested command) {
    if (stopping) {
      return; // queued when the worker stopped: it resumes at the next start
    }
    UUID runId = command.runId();
    Path dir = checkpoints.run(runId);
    try {
      // A run that ended before a restart only has its event sent again, not its training redone.
      PlatformEvent end = DecidedEvent.find(dir).orElseGet(() -> train(command));
      if (end == null) return;
      DecidedEvent.publish(publisher, dir, end, () -> stopping);
      recordOutcome(runId, describe(end));
    } catch (RuntimeException e) {
      if (!stopping) throw e;
      LOG.info("run {} stopped with the worker; it resumes at the next start", runId);
    }
  }

  /** Trains the run; returns the event that ends it, or null when the worker stops it. */
  private PlatformEvent train(TrainingRunRequested command) {
    UUID runId = command.runId();
    try {
      RunRequest request = RunRequest.of(command);
      var listener =
          new KafkaProgressListener(
              publisher, request, () -> stopping || cancelled.containsKey(runId));
      RunOutcome result =
          new PolicyRun(checkpoints, store, rewards, listener, devices).execute(request);
      return new ModelVersionPublished(
          UUID.randomUUID(),
          Instant.now(),
          result.version(),
          ModelVersionPublished.Kind.POLICY,
          result.parentVersion(),
          command.cycleId(),
          runId,
          command.stage(),
          result.checkpoint().toString(),
          result.metrics(),
          ModelVersionPublished.lineage(result.labelEventIds()),
          result.warnings(),
          result.evaluation());
    } catch (TrainingCancelledException e) {
      if (stopping && !cancelled.containsKey(runId)) return null;
      return stoppedWithoutVersion(
          command, e.getMessage() + ": " + cancelled.getOrDefault(runId, "cancelled"));
    } catch (RuntimeException e) {
      if (stopping) return null; // interrupted by the shutdown, not failed: it resumes
      LOG.warn("run {} failed", runId, e);
      return stoppedWithoutVersion(command, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private static TrainingRunFailed stoppedWithoutVersion(
      TrainingRunRequested command, String reason) {
    return new TrainingRunFailed(
        UUID.randomUUID(),
        Instant.now(),
        command.runId(),
        command.cycleId(),
        command.stage(),
        reason);
  }

  private static String describe(PlatformEvent end) {
    if (end instanceof ModelVersionPublished published) return "published " + published.version();
    return "failed: " + ((TrainingRunFailed) end).reason();
  }

  private void recordOutcome(UUID runId, String outcome) {
    try {
      Files.writeString(checkpoints.run(runId).resolve(OUTCOME_FILE), outcome);
    } catch (IOException e) {
      LOG.error("cannot record the outcome of run {}: {}", runId, outcome, e);
    }
    held.remove(runId);
    LOG.info("run {}: {}", runId, outcome);
  }

  /** The runs accepted and not ended: queued or training. */
  public Set<UUID> held() {
    return Set.copyOf(held);
  }

  @Override
  public void close() {
    stopping = true;
    executor.shutdown();
    try {
      // The running step finishes first, so the run's checkpoint and memory are left whole.
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
