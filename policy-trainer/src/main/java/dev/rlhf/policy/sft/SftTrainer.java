package dev.rlhf.policy.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.lm.train.LanguageModelLoss;
import dev.rlhf.lm.train.LearningRateSchedule;
import dev.rlhf.policy.config.SftConfig;
import dev.rlhf.policy.train.PaddedBatch;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.policy.train.TrainingCancelledException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised fine-tuning: the language-modelling loss on the assistant's response tokens only, so
 * the network learns to answer rather than to write user turns. It stops early when the held-out
 * loss has not fallen for {@code patience} validations and keeps the weights of the lowest. Each
 * validation also checkpoints the run (weights and optimizer state); every step draws its batch
 * from a generator seeded by the step, so a resumed run goes on as if it had not stopped.
 */
public final class SftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

  /**
   * @param initialValidationLoss held-out loss before fine-tuning
   * @param validationLoss held-out loss of the weights kept (the lowest seen)
   * @param trainLoss mean training loss of the last reporting interval
   * @param steps steps taken (fewer than configured after an early stop)
   * @param keptStep the step whose weights the network holds
   */
  public record Result(
      float initialValidationLoss, float validationLoss, float trainLoss, int steps, int keptStep) {

    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("initial_val_loss", (double) initialValidationLoss);
      m.put(TrainingMetrics.VAL_LOSS, (double) validationLoss);
      m.put(TrainingMetrics.TRAIN_LOSS, (double) trainLoss);
      m.put("kept_step", (double) keptStep);
      return m;
    }
  }

  private final SftConfig config;
  private final ProgressListener listener;

  public SftTrainer(SftConfig config, ProgressListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Fine-tunes {@code network} in place, from {@code state} (saved in {@code checkpoint} unless it
   * is the start).
   */
  public Result train(
      LanguageModel network, SftDataset data, SftState state, RunCheckpoint<SftState> checkpoint) {
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            config.lr(),
            config.minLr(),
            Math.min(config.warmupSteps(), config.steps()),
            config.steps());
    int pad = network.tokenizer().specialId(SpecialToken.END_OF_TEXT);
    float initial =
        state.step() == 0 ? validationLoss(network, data, pad) : state.initialValidationLoss();
    float validation = state.step() == 0 ? initial : state.validationLoss();
    float interval = 0;
    int intervalSteps = 0;
    float trainLoss = state.trainLoss();
    // The weights kept are the trained ones of the lowest held-out loss, never the untouched base:
    // a fine-tuning step or two can raise the loss before it falls.
    float best = state.step() == 0 ? Float.NaN : state.bestValidationLoss();
    int bestStep = state.bestStep();
    int earliestStop = config.warmupSteps() + config.patience() * config.evalEvery();
    int steps = state.step();
    try (AdamW adam = AdamW.gptDefaults(network.namedParameters(), config.weightDecay())) {
      if (state.step() > 0) {
        checkpoint.restoreOptimizer(adam, state);
      }
      for (int step = state.step(); step < config.steps(); step++) {
        if (listener.cancelled()) {
          throw new TrainingCancelledException(
              "cancelled after SFT step " + step + " of " + config.steps());
        }
        Random random = new Random(config.seed() * 1_000_003L + step);
        List<SftExample> batch = new ArrayList<>();
        for (int i = 0; i < config.batch(); i++) {
          batch.add(data.train().get(random.nextInt(data.train().size())));
        }
        interval += trainStep(network, adam, batch, pad, schedule.at(step));
        intervalSteps++;
        boolean last = step + 1 == config.steps();
        if ((step + 1) % config.evalEvery() == 0 || last) {
          trainLoss = interval / intervalSteps;
          interval = 0;
          intervalSteps = 0;
          validation = validationLoss(network, data, pad);
          if (!Float.isNaN(validation) && (Float.isNaN(best) || validation < best)) {
            best = validation;
            bestStep = step + 1;
            checkpoint.saveBest(network, step + 1);
          }
          boolean stale =
              config.patience() > 0
                  && !Float.isNaN(validation)
                  && step + 1 >= earliestStop
                  && step + 1 - bestStep >= config.patience() * config.evalEvery();
          Map<String, Double> metrics = new LinkedHashMap<>();
          metrics.put(TrainingMetrics.TRAIN_LOSS, (double) trainLoss);
          metrics.put(TrainingMetrics.VAL_LOSS, (double) validation);
          metrics.put("lr", (double) schedule.at(step));
          if (!last && !stale) {
            checkpoint.save(
                network,
                adam,
                new SftState(step + 1, initial, validation, trainLoss, best, bestStep));
          }
          listener.onProgress(step + 1, config.steps(), metrics, samples(network, data));
          steps = step + 1;
          if (stale) {
            LOG.info(
                "SFT stops at step {}: no lower held-out loss since step {} ({})",
                step + 1,
                bestStep,
                best);
            break;
          }
        }
        steps = step + 1;
      }
    }
    if (Float.isNaN(best)) {
      // Without held-out prompts there is nothing to choose by: the last weights are kept.
      return new Result(initial, validation, trainLoss, steps, steps);
    }
    int kept = checkpoint.restoreBest(network);
    return new Result(initial, best, trainLoss, steps, kept);
  }

  private float trainStep(
      LanguageModel network, AdamW adam, List<SftExample> batch, int pad, float lr) {
    try (NDManager step = network.manager().newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray tokens =
          PaddedBatch.of(batch.stream().map(SftExample::tokens).toList(), pad)
              .toArray(step); // (B, T+1)
      NDArray mask = targetMask(step, batch, tokens.getShape().get(1)); // (B, T)
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits =
            network.logits(network.hidden(tokens.get(":, :-1"), null, true), true); // (B, T, V)
        loss = LanguageModelLoss.maskedCrossEntropy(logits, tokens.get(":, 1:"), mask);
        collector.backward(loss);
      }
      float norm = GradientClipping.clip(adam.weights(), config.gradClip());
      if (Float.isFinite(norm)) {
        adam.step(lr);
      } else {
        adam.zeroGradients();
      }
      return loss.getFloat();
    }
  }

  /** Loss mask of each target token (the token predicted at each input position), pads 0. */
  private static NDArray targetMask(NDManager m, List<SftExample> batch, long width) {
    int t = (int) width - 1;
    float[] mask = new float[batch.size() * t];
    for (int b = 0; b < batch.size(); b++) {
      int[] lm = batch.get(b).lossMask();
      for (int i = 1; i < lm.length; i++) {
        mask[b * t + i - 1] = lm[i];
      }
    }
    return m.create(mask, new Shape(batch.size(), t));
  }

  /** Token-weighted mean loss on the held-out prompts' responses (NaN without any). */
  public float validationLoss(LanguageModel network, SftDataset data, int pad) {
    List<SftExample> all = data.validation();
    double sum = 0;
    double count = 0;
    for (int from = 0; from < all.size(); from += config.batch()) {
      List<SftExample> batch = all.subList(from, Math.min(all.size(), from + config.batch()));
      try (NDManager step = network.manager().newSubManager()) {
        NDArray tokens =
            PaddedBatch.of(batch.stream().map(SftExample::tokens).toList(), pad).toArray(step);
        NDArray mask = targetMask(step, batch, tokens.getShape().get(1));
        NDArray logits = network.logits(network.hidden(tokens.get(":, :-1"), null, false), false);
        float tokensCounted = mask.sum().getFloat();
        sum +=
            LanguageModelLoss.maskedCrossEntropy(logits, tokens.get(":, 1:"), mask).getFloat()
                * tokensCounted;
        count += tokensCounted;
      }
    }
    return count == 0 ? Float.NaN : (float) (sum / count);
  }

  private static List<String> samples(LanguageModel network, SftDataset data) {
    List<SftExample> source = data.validation().isEmpty() ? data.train() : data.validation();
    List<int[]> prompts = source.stream().limit(2).map(SftExample::prompt).toList();
    int room =
        network.config().blockSize() - prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    if (room <= 0) {
      return List.of();
    }
    return new Generator(network)
        .generate(prompts, SamplingParams.greedy(Math.min(48, room))).stream()
            .map(c -> c.text())
            .toList();
  }
}
