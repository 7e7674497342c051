package dev.rlhf.reward.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.LearningRateSchedule;
import dev.rlhf.lm.train.Shard;
import dev.rlhf.training.preferences.PreferenceDataset;
import dev.rlhf.training.preferences.PromptComparisons;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network with a reward head on the pairs of a {@link PreferenceDataset}: AdamW with
 * warm-up and cosine decay, one step per batch of prompts, a held-out evaluation every epoch, the
 * best evaluation's weights kept, early stopping after {@code patience} epochs without a lower
 * held-out loss. Resumable: it continues from the run directory's last checkpoint when there is one
 * (the caller loads the network from it), with the optimizer state saved beside it, so a resumed
 * run takes the same steps as one that was never stopped.
 */
public final class RewardTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(RewardTrainer.class);
  private static final String ACCURACY = "accuracy";

  /** Names of this run's checkpoints: its own version and the version it starts from. */
  public record Identity(String version, String parentVersion) {}

  /**
   * @param checkpoint directory of the best weights
   * @param metrics held-out and training figures of the best evaluation
   * @param cancelled whether the run stopped on request (then nothing is to be published)
   * @param steps optimizer steps done when the run ended
   */
  public record Result(
      Path checkpoint, Map<String, Double> metrics, boolean cancelled, long steps) {}

  private final RewardTrainingOptions options;
  private final RunListener listener;
  private final List<Device> devices;

  /** A trainer on the network's own device. */
  public RewardTrainer(RewardTrainingOptions options, RunListener listener) {
    this(options, listener, List.of());
  }

  /**
   * @param devices the training devices, data-parallel ({@link DataParallel}; the first is the
   *     network's); empty: the network's alone
   */
  public RewardTrainer(RewardTrainingOptions options, RunListener listener, List<Device> devices) {
    this.options = options;
    this.listener = listener;
    this.devices = List.copyOf(devices);
  }

  /** Steps per epoch for {@code trainPrompts} prompts. */
  public int stepsPerEpoch(int trainPrompts) {
    return (trainPrompts + options.promptsPerBatch() - 1) / options.promptsPerBatch();
  }

  public Result train(
      LanguageModel network, PreferenceDataset data, RunDirectory dir, Identity identity) {
    if (data.train().isEmpty() || data.heldOut().isEmpty()) {
      throw new IllegalArgumentException(
          "dataset has "
              + data.train().size()
              + " training and "
              + data.heldOut().size()
              + " held-out prompts with pairs; both must be non-empty");
    }
    network.addRewardHead();
    ChatTemplate template = network.chatTemplate();
    int context = network.config().blockSize();
    int perEpoch = stepsPerEpoch(data.train().size());
    long total = (long) perEpoch * options.epochs();
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            options.lr(),
            options.minLr(),
            Math.min(options.warmupSteps(), Math.toIntExact(total)),
            Math.toIntExact(total));
    RunState state = dir.state().orElse(RunState.fresh());
    if (state.step() > 0) LOG.info("resuming run in {} at step {}", dir.path(), state.step());
    Map<String, Object> lineage = lineage(data);
    try (DataParallel parallel = DataParallel.over(network, devices);
        AdamW adam = AdamW.gptDefaults(network.namedParameters(), options.weightDecay())) {
      if (state.step() > 0) resumeOptimizer(adam, dir, state.step());
      for (long step = state.step(); step < total; step++) {
        if (listener.cancelled()) {
          LOG.info("run in {} cancelled at step {}", dir.path(), step);
          return new Result(null, Map.of(), true, step);
        }
        int epoch = (int) (step / perEpoch);
        List<PromptComparisons> prompts = batch(data.train(), epoch, (int) (step % perEpoch));
        float lr = schedule.at((int) step);
        RunListener.StepMetrics m = trainStep(parallel, adam, prompts, template, context, lr);
        state = state.atStep(step + 1);
        boolean epochEnd = (step + 1) % perEpoch == 0;
        if (epochEnd) {
          RunListener.Evaluation e = evaluate(network, data.heldOut(), template, context, epoch);
          state = state.evaluated(e);
          if (state.improvedAt(step + 1)) {
            save(dir.best(), network, identity, lineage, metrics(e), step + 1);
          }
          listener.onEvaluation(step + 1, total, e);
        }
        if (epochEnd || (step + 1) % options.checkpointEvery() == 0) {
          save(dir.last(), network, identity, lineage, Map.of("loss", m.loss()), step + 1);
          adam.save(dir.last().resolve(AdamW.STATE_FILE), step + 1);
          dir.saveState(state);
        }
        listener.onStep(step + 1, total, m);
        if (epochEnd && state.epochsWithoutImprovement() >= options.patience()) {
          LOG.info("early stop after epoch {}: no better held-out loss", epoch + 1);
          break;
        }
      }
    }
    double bestLoss = state.bestLoss();
    RunListener.Evaluation best =
        state.evaluations().stream().filter(e -> e.loss() == bestLoss).findFirst().orElseThrow();
    Map<String, Double> published = metrics(best);
    published.put(TrainingMetrics.TRAIN_PAIRS, (double) data.trainPairs());
    published.put(TrainingMetrics.HELDOUT_PAIRS, (double) data.heldOutPairs());
    double[] interval = wilson(best.accuracy(), data.heldOutPairs());
    published.put(TrainingMetrics.HELDOUT_ACCURACY_LOW, interval[0]);
    published.put(TrainingMetrics.HELDOUT_ACCURACY_HIGH, interval[1]);
    return new Result(dir.best(), published, false, state.step());
  }

  /**
   * The state is written after the weights and before {@code state.json}, each file tagged with its
   * step: weights of another step are an error, an optimizer state of another step (the run stopped
   * between the two writes) only costs fresh moment estimates.
   */
  private static void resumeOptimizer(AdamW adam, RunDirectory dir, long step) {
    long weightsStep = Checkpoints.readMetadata(dir.last()).step();
    if (weightsStep != step) {
      throw new IllegalStateException(
          "run state of step " + step + " next to weights of step " + weightsStep);
    }
    if (!adam.restore(dir.last().resolve(AdamW.STATE_FILE), step)) {
      LOG.warn(
          "no optimizer state of step {} in {}: moment estimates start afresh", step, dir.path());
    }
  }

  /** The {@code index}-th batch of an epoch; each epoch has its own seeded order of prompts. */
  private List<PromptComparisons> batch(List<PromptComparisons> train, int epoch, int index) {
    List<PromptComparisons> order = new ArrayList<>(train);
    Collections.shuffle(order, new Random(options.seed() * 1_000_003L + epoch));
    int from = index * options.promptsPerBatch();
    return order.subList(from, Math.min(order.size(), from + options.promptsPerBatch()));
  }

  /**
   * One optimizer step on {@code prompts}, split over the training devices by prompt (each shard's
   * loss its share of the batch's mean over prompts); package-private for the benchmark.
   */
  RunListener.StepMetrics trainStep(
      DataParallel parallel,
      AdamW adam,
      List<PromptComparisons> prompts,
      ChatTemplate template,
      int context,
      float lr) {
    List<EncodedBatch> shards = new ArrayList<>();
    int pairs = 0;
    int promptCount = 0;
    for (int i = 0; i < parallel.size(); i++) {
      List<PromptComparisons> mine = new Shard(i, parallel.size()).of(prompts);
      EncodedBatch batch = mine.isEmpty() ? null : EncodedBatch.of(mine, template, context);
      shards.add(batch);
      if (batch != null) {
        pairs += batch.pairs();
        promptCount += batch.prompts();
      }
    }
    int allPairs = pairs;
    int allPrompts = promptCount;
    DataParallel.Step step =
        parallel.step(
            adam,
            lr,
            options.gradClip(),
            (replica, m, shard) -> {
              EncodedBatch batch = shards.get(shard.index());
              if (batch == null) return null;
              NDArray tokens = m.create(batch.tokens(), new Shape(batch.rows(), batch.length()));
              NDArray hidden = replica.hidden(tokens, null, true); // (R, T, C)
              NDArray rewards = replica.rewards(hidden, batch.readIndex(), true); // (R)
              NDArray margins = PairwiseLoss.margins(rewards, batch, m); // (P)
              NDArray loss = PairwiseLoss.loss(margins, batch, m);
              NDArray correct = margins.gt(0).toType(DataType.FLOAT32, false).sum().div(allPairs);
              return new DataParallel.Part(
                  shard.scaled(loss, batch.prompts(), allPrompts), Map.of(ACCURACY, correct));
            });
    if (!step.applied()) {
      // One overflowing batch must not poison the weights: its gradients were dropped.
      LOG.warn("skipping step with gradient norm {}", step.norm());
    }
    return new RunListener.StepMetrics(step.loss(), step.figures().get(ACCURACY), lr);
  }

  /** Held-out loss (weighted per prompt, as in training) and pairwise accuracy, no gradients. */
  RunListener.Evaluation evaluate(
      LanguageModel network,
      List<PromptComparisons> heldOut,
      ChatTemplate template,
      int context,
      int epoch) {
    double lossSum = 0;
    long correct = 0;
    long pairs = 0;
    for (int from = 0; from < heldOut.size(); from += options.promptsPerBatch()) {
      List<PromptComparisons> prompts =
          heldOut.subList(from, Math.min(heldOut.size(), from + options.promptsPerBatch()));
      EncodedBatch batch = EncodedBatch.of(prompts, template, context);
      try (NDManager m = network.manager().newSubManager();
          NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray tokens = m.create(batch.tokens(), new Shape(batch.rows(), batch.length()));
        NDArray rewards =
            network.rewards(network.hidden(tokens, null, false), batch.readIndex(), false);
        NDArray margins = PairwiseLoss.margins(rewards, batch, m);
        lossSum += PairwiseLoss.loss(margins, batch, m).getFloat() * batch.prompts();
        for (float margin : margins.toFloatArray()) {
          if (margin > 0) correct++;
        }
        pairs += batch.pairs();
      }
    }
    return new RunListener.Evaluation(
        epoch + 1, lossSum / heldOut.size(), (double) correct / pairs);
  }

  private void save(
      Path where,
      LanguageModel network,
      Identity identity,
      Map<String, Object> lineage,
      Map<String, Double> metrics,
      long step) {
    Checkpoints.save(
        where,
        network,
        CheckpointMetadata.now(
            network.config(),
            network.tokenizer().name(),
            CheckpointKind.REWARD,
            identity.version(),
            identity.parentVersion(),
            lineage,
            metrics,
            step));
  }

  private Map<String, Object> lineage(PreferenceDataset data) {
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("labelEventIds", data.labelEventIds().stream().map(Object::toString).toList());
    lineage.put("trainPrompts", data.train().size());
    lineage.put("heldOutPrompts", data.heldOut().size());
    lineage.put("trainPairs", data.trainPairs());
    lineage.put("heldOutPairs", data.heldOutPairs());
    lineage.put("options", options.toMap());
    return lineage;
  }

  /**
   * The 95% Wilson score interval of an accuracy measured on {@code n} pairs: how far a held-out
   * accuracy of a few dozen pairs may be from the model's true one.
   */
  static double[] wilson(double accuracy, int n) {
    if (n == 0) return new double[] {0, 1};
    double z = 1.96;
    double z2 = z * z / n;
    double centre = (accuracy + z2 / 2) / (1 + z2);
    double half = z * Math.sqrt(accuracy * (1 - accuracy) / n + z2 / (4 * n)) / (1 + z2);
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static Map<String, Double> metrics(RunListener.Evaluation e) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(TrainingMetrics.HELDOUT_ACCURACY, e.accuracy());
    m.put(TrainingMetrics.HELDOUT_LOSS, e.loss());
    m.put("epoch", (double) e.epoch());
    return m;
  }
}
