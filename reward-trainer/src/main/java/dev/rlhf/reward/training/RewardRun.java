package dev.rlhf.reward.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.VersionDirectories;
import dev.rlhf.lm.reward.RewardScorer;
import dev.rlhf.reward.training.RunDirectory.RunOutcome;
import dev.rlhf.training.LabelStore;
import dev.rlhf.training.preferences.PreferenceDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run end to end: resolves the snapshot and base checkpoint, trains (or resumes),
 * copies the best weights to {@code <checkpoints>/reward-<runId>} and reports. Every failure is
 * reported with its reason rather than thrown, and the outcome is recorded in the run directory.
 */
public final class RewardRun {

  private static final Logger LOG = LoggerFactory.getLogger(RewardRun.class);

  /** Directory of the independent check model inside a published reward model. */
  public static final String CHECK_MODEL = RewardScorer.CHECK_MODEL;

  /** Status of a run stopped by the worker's shutdown; it is not recorded, so it resumes. */
  public static final String INTERRUPTED = "INTERRUPTED";

  private static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final Path checkpoints;
  private final Path state;
  private final LabelStore<RankingSubmitted> store;
  private final Duration snapshotWait;
  private final List<Device> devices;

  /**
   * @param checkpoints root of the shared checkpoints; versions are published directly under it
   * @param state this worker's own directory (see {@link #stateDirectory})
   * @param devices what runs train on, data-parallel ({@link Devices#forTraining})
   */
  public RewardRun(
      Path checkpoints,
      Path state,
      LabelStore<RankingSubmitted> store,
      Duration snapshotWait,
      List<Device> devices) {
    this.checkpoints = checkpoints;
    this.state = state;
    this.store = store;
    this.snapshotWait = snapshotWait;
    this.devices = List.copyOf(devices);
  }

  /** A worker that runs alone, on the preferred device. */
  public RewardRun(Path checkpoints, LabelStore<RankingSubmitted> store, Duration snapshotWait) {
    this(
        checkpoints,
        stateDirectory(checkpoints, null),
        store,
        snapshotWait,
        List.of(Devices.preferred()));
  }

  /**
   * Where a worker keeps its ranking store and run directories: {@code reward-trainer/} under the
   * checkpoints root, or {@code reward-trainer/replicas/<replica>/} for one of several replicas
   * sharing the root.
   */
  public static Path stateDirectory(Path checkpoints, String replica) {
    Path own = checkpoints.resolve("reward-trainer");
    if (replica == null) return own;
    if (!REPLICA.matcher(replica).matches()) {
      throw new IllegalArgumentException(
          "replica '" + replica + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
    }
    return own.resolve("replicas").resolve(replica);
  }

  /** The run directories in a worker's state directory. */
  public static Path runsDirectory(Path state) {
    return state.resolve("runs");
  }

  public RunDirectory directory(UUID runId) {
    return new RunDirectory(runsDirectory(state).resolve(runId.toString()));
  }

  public RunOutcome execute(RunRequest request, RunReporter reporter) {
    RunDirectory dir = directory(request.runId());
    RunOutcome outcome;
    try {
      outcome = train(request, dir, reporter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RunOutcome(INTERRUPTED, "the worker stopped; the run resumes on restart");
    } catch (RuntimeException e) {
      if (reporter.stopping()) {
        // Failed because the worker is stopping (or while sending its end): not a failure.
        return new RunOutcome(INTERRUPTED, "the worker stopped; the run resumes on restart");
      }
      LOG.warn("reward run {} failed", request.runId(), e);
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      reporter.failed(reason);
      outcome = new RunOutcome("FAILED", reason);
    }
    if (!INTERRUPTED.equals(outcome.status())) dir.saveOutcome(outcome);
    return outcome;
  }

  private RunOutcome train(RunRequest request, RunDirectory dir, RunReporter reporter)
      throws InterruptedException {
    RewardTrainingOptions options =
        RewardTrainingOptions.defaults().with(request.hyperParameters());
    List<UUID> ids = request.labelEventIds();
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("empty dataset: the run's snapshot lists no label events");
    }
    List<UUID> missing = store.awaitAll(ids, snapshotWait.toMillis(), reporter::cancelled);
    if (reporter.stopping()) throw new InterruptedException("worker stopping");
    if (reporter.cancelled()) return cancelled(reporter, 0);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "snapshot references "
              + missing.size()
              + " label events not yet received, e.g. "
              + missing.subList(0, Math.min(3, missing.size())));
    }
    PreferenceDataset data =
        PreferenceDataset.of(
            store.snapshot(ids), options.heldOutPercent(), request.weightedPairs());
    if (data.trainPairs() == 0) {
      throw new IllegalArgumentException("empty dataset: the snapshot's rankings give no pairs");
    }
    Path base = resolveBase(request.baseVersion());
    String parent = parentVersion(base, request.baseVersion());
    Path resumeFrom = dir.state().isPresent() && Checkpoints.exists(dir.last()) ? dir.last() : base;
    LOG.info(
        "reward run {}: {} training / {} held-out pairs, from {}",
        request.runId(),
        data.trainPairs(),
        data.heldOutPairs(),
        resumeFrom);
    Engine.getInstance().setRandomSeed((int) options.seed());
    RewardTrainer.Result result;
    try (LanguageModel network = Checkpoints.load(resumeFrom, devices.get(0))) {
      result =
          new RewardTrainer(options, reporter, devices)
              .train(network, data, dir, new RewardTrainer.Identity(request.version(), parent));
    }
    if (result.cancelled()) {
      return reporter.stopping()
          ? new RunOutcome(INTERRUPTED, "the worker stopped; the run resumes on restart")
          : cancelled(reporter, result.steps());
    }
    Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
    Path target = VersionDirectories.of(checkpoints, request.version());
    Optional<RewardTrainer.Result> check =
        trainCheckModel(request, options, data, base, dir, reporter);
    if (check.isPresent() && check.get().cancelled()) {
      return reporter.stopping()
          ? new RunOutcome(INTERRUPTED, "the worker stopped; the run resumes on restart")
          : cancelled(reporter, result.steps() + check.get().steps());
    }
    check.ifPresent(
        c -> {
          publish(c.checkpoint(), target.resolve(CHECK_MODEL));
          metrics.put(
              TrainingMetrics.CHECK_HELDOUT_ACCURACY,
              c.metrics().get(TrainingMetrics.HELDOUT_ACCURACY));
        });
    Path published = publish(result.checkpoint(), target);
    reporter.published(
        request.version(), parent, published.toString(), metrics, data.labelEventIds());
    return new RunOutcome("SUCCEEDED", published.toString());
  }

  /**
   * The independent check of the reward model (Gao et al.'s gold model, as far as a team's own
   * labels allow one): a second network trained only on the held-out prompts, measured on the
   * training prompts. PPO watches it for a proxy reward that rises while the check's falls, and the
   * evaluation of a policy version scores with it. None when the held-out side is too small.
   */
  private Optional<RewardTrainer.Result> trainCheckModel(
      RunRequest request,
      RewardTrainingOptions options,
      PreferenceDataset data,
      Path base,
      RunDirectory dir,
      RunReporter reporter) {
    if (data.heldOut().size() < 2) {
      LOG.info("reward run {}: too few held-out prompts for a check model", request.runId());
      return Optional.empty();
    }
    RunDirectory checkDir = dir.check();
    Path from =
        checkDir.state().isPresent() && Checkpoints.exists(checkDir.last())
            ? checkDir.last()
            : base;
    Engine.getInstance().setRandomSeed((int) options.seed() + 1);
    try (LanguageModel network = Checkpoints.load(from, devices.get(0))) {
      return Optional.of(
          new RewardTrainer(options, quietly(reporter), devices)
              .train(
                  network,
                  data.swapped(),
                  checkDir,
                  new RewardTrainer.Identity(request.version() + "/" + CHECK_MODEL, null)));
    }
  }

  /** The check model's training reports no progress of its own, but stops when the run does. */
  private static RunListener quietly(RunReporter reporter) {
    return new RunListener() {
      @Override
      public void onStep(long step, long totalSteps, StepMetrics metrics) {}

      @Override
      public void onEvaluation(long step, long totalSteps, Evaluation evaluation) {}

      @Override
      public boolean cancelled() {
        return reporter.cancelled() || reporter.stopping();
      }
    };
  }

  private static RunOutcome cancelled(RunReporter reporter, long steps) {
    reporter.stoppedOnCancel(steps);
    return new RunOutcome("CANCELLED", "cancelled on request after " + steps + " steps");
  }

  /** The base version's checkpoint: its directory under the checkpoints root, nowhere else. */
  private Path resolveBase(String baseVersion) {
    Path candidate = VersionDirectories.of(checkpoints, baseVersion);
    if (Checkpoints.exists(candidate)) return candidate;
    throw new IllegalArgumentException(
        "base checkpoint " + baseVersion + " not found under " + checkpoints);
  }

  private static String parentVersion(Path base, String requested) {
    String named = Checkpoints.readMetadata(base).version();
    return named == null || named.isBlank() ? requested : named;
  }

  /** Copies the weights first and the metadata last: a directory with metadata is complete. */
  private static Path publish(Path best, Path target) {
    try {
      Files.createDirectories(target);
      Files.copy(
          best.resolve(Checkpoints.WEIGHTS_FILE),
          target.resolve(Checkpoints.WEIGHTS_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          best.resolve(Checkpoints.METADATA_FILE),
          target.resolve(Checkpoints.METADATA_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      return target.toAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException("cannot publish " + best + " to " + target, e);
    }
  }
}
