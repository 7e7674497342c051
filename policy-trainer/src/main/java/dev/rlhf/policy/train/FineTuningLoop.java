package dev.rlhf.policy.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.LearningRateSchedule;
import dev.rlhf.lm.train.Shard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run skeleton SFT and DPO share: AdamW over the whole network with warm-up and cosine decay;
 * one batch a step (split over the training devices, {@link DataParallel}), which the objective
 * draws from the step number alone, so a resumed run draws the batches an uninterrupted one would;
 * gradient clipping (a step whose norm overflows is dropped, so one bad batch cannot poison the
 * weights); a held-out validation every {@code evalEvery} steps that keeps the trained weights of
 * the lowest held-out loss and checkpoints the run (weights, optimizer state, {@link LoopState});
 * an early stop after {@code patience} validations without a lower one, never before the warm-up
 * and that many validations are over. At the end the network holds the kept weights.
 */
public final class FineTuningLoop {

  private static final Logger LOG = LoggerFactory.getLogger(FineTuningLoop.class);

  /**
   * @param stage the stage's name in cancellation messages and logs
   * @param steps optimizer steps at most
   * @param evalEvery steps between validations (each also checkpoints the run)
   * @param patience validations without a lower held-out loss before the run stops (0: never)
   * @param reportEveryStep report progress after every step, not only at validations
   */
  public record Settings(
      String stage,
      int steps,
      float lr,
      float minLr,
      int warmupSteps,
      float weightDecay,
      float gradClip,
      int evalEvery,
      int patience,
      boolean reportEveryStep) {}

  /** What a stage trains: the loss of a step's batch, and its held-out validation. */
  public interface Objective {

    /**
     * The loss of {@code shard}'s part of the batch of {@code step} on {@code replica}, computed
     * inside the loop's gradient collector, and scalar figures about it to report (averaged over
     * the steps between reports), each the shard's share of the batch's ({@link Shard#scaled}); the
     * figures name the loss under the stage's name.
     *
     * @param manager where the shard's arrays live, on the replica's device; closed after the step
     * @return null when the shard holds none of the batch
     */
    DataParallel.Part loss(LanguageModel replica, NDManager manager, int step, Shard shard);

    /** The network on held-out data, without gradients; a NaN loss when there is none. */
    Validation validate();

    /** A few answers of the network, shown with the progress of a validation. */
    List<String> samples();
  }

  /**
   * @param loss the held-out loss the kept weights are chosen by (lower is better)
   * @param metrics what to report about it
   */
  public record Validation(float loss, Map<String, Double> metrics) {}

  /**
   * @param state the state after the last step taken
   * @param steps steps taken (fewer than configured after an early stop)
   * @param keptStep the step whose weights the network holds
   */
  public record Result(LoopState state, int steps, int keptStep) {}

  private final Settings settings;
  private final ProgressListener listener;
  private final List<Device> devices;

  /** A loop on the network's own device. */
  public FineTuningLoop(Settings settings, ProgressListener listener) {
    this(settings, listener, List.of());
  }

  /**
   * @param devices what to train on, data-parallel ({@link DataParallel}); the first is the
   *     network's own; empty: the network's device alone
   */
  public FineTuningLoop(Settings settings, ProgressListener listener, List<Device> devices) {
    this.settings = settings;
    this.listener = listener;
    this.devices = List.copyOf(devices);
  }

  /**
   * Trains {@code network} in place from {@code state} (saved in {@code checkpoint} unless it is
   * {@link LoopState#START}).
   */
  public Result run(
      LanguageModel network,
      Objective objective,
      LoopState state,
      RunCheckpoint<LoopState> checkpoint) {
    int total = settings.steps();
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            settings.lr(), settings.minLr(), Math.min(settings.warmupSteps(), total), total);
    if (state.step() == 0) {
      Validation initial = objective.validate();
      // The weights kept are the trained ones of the lowest held-out loss, never the untouched
      // start: a step or two can raise the loss before it falls.
      state =
          new LoopState(
              0,
              initial.loss(),
              initial.loss(),
              Float.NaN,
              Float.NaN,
              0,
              initial.metrics(),
              initial.metrics());
    } else {
      LOG.info("resuming the {} run at step {}", settings.stage(), state.step());
    }
    int earliestStop = settings.warmupSteps() + settings.patience() * settings.evalEvery();
    Interval interval = new Interval();
    int steps = state.step();
    try (DataParallel parallel = DataParallel.over(network, devices);
        AdamW adam = AdamW.gptDefaults(network.namedParameters(), settings.weightDecay())) {
      if (state.step() > 0) checkpoint.restoreOptimizer(adam, state);
      for (int step = state.step(); step < total; step++) {
        if (listener.cancelled()) {
          throw new TrainingCancelledException(
              "cancelled after " + settings.stage() + " step " + step + " of " + total);
        }
        float lr = schedule.at(step);
        interval.add(trainStep(parallel, adam, objective, step, lr));
        steps = step + 1;
        boolean last = steps == total;
        boolean validation = steps % settings.evalEvery() == 0 || last;
        if (!validation && !settings.reportEveryStep()) continue;
        Map<String, Double> metrics = interval.means();
        float trainLoss = interval.meanLoss();
        interval = new Interval();
        boolean stale = false;
        if (validation) {
          Validation v = objective.validate();
          metrics.putAll(v.metrics());
          state = validated(state, steps, trainLoss, v);
          if (state.bestStep() == steps) checkpoint.saveBest(network, steps);
          stale =
              settings.patience() > 0
                  && !Float.isNaN(v.loss())
                  && steps >= earliestStop
                  && steps - state.bestStep() >= settings.patience() * settings.evalEvery();
          if (!last && !stale) checkpoint.save(network, adam, state);
        }
        metrics.put("lr", (double) lr);
        listener.onProgress(steps, total, metrics, validation ? objective.samples() : List.of());
        if (stale) {
          LOG.info(
              "{} stops at step {}: no lower held-out loss since step {} ({})",
              settings.stage(),
              steps,
              state.bestStep(),
              state.bestValidationLoss());
          break;
        }
      }
    }
    if (Float.isNaN(state.bestValidationLoss())) {
      // Without held-out data there is nothing to choose by: the last weights are kept.
      return new Result(state, steps, steps);
    }
    return new Result(state, steps, checkpoint.restoreBest(network));
  }

  private static LoopState validated(LoopState state, int step, float trainLoss, Validation v) {
    boolean better =
        !Float.isNaN(v.loss())
            && (Float.isNaN(state.bestValidationLoss()) || v.loss() < state.bestValidationLoss());
    return new LoopState(
        step,
        state.initialValidationLoss(),
        v.loss(),
        trainLoss,
        better ? v.loss() : state.bestValidationLoss(),
        better ? step : state.bestStep(),
        state.initialMetrics(),
        better ? v.metrics() : state.bestMetrics());
  }

  /** One optimizer step; answers its loss and figures as numbers. */
  private Interval trainStep(
      DataParallel parallel, AdamW adam, Objective objective, int step, float lr) {
    DataParallel.Step taken =
        parallel.step(
            adam,
            lr,
            settings.gradClip(),
            (replica, manager, shard) -> objective.loss(replica, manager, step, shard));
    if (!taken.applied()) {
      LOG.warn("{} step {}: gradient norm {}, step skipped", settings.stage(), step, taken.norm());
    }
    Interval figures = new Interval();
    figures.lossSum = taken.loss();
    figures.sums.putAll(taken.figures());
    figures.steps = 1;
    return figures;
  }

  /** Sums of the losses and figures of the steps since the last report. */
  private static final class Interval {
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private double lossSum;
    private int steps;

    void add(Interval step) {
      step.sums.forEach((name, value) -> sums.merge(name, value, Double::sum));
      lossSum += step.lossSum;
      steps += step.steps;
    }

    float meanLoss() {
      return (float) (lossSum / steps);
    }

    Map<String, Double> means() {
      Map<String, Double> out = new LinkedHashMap<>();
      sums.forEach((name, sum) -> out.put(name, sum / steps));
      return out;
    }
  }
}
