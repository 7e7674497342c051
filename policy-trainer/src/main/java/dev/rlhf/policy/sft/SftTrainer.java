package dev.rlhf.policy.sft;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.LanguageModelLoss;
import dev.rlhf.lm.train.Shard;
import dev.rlhf.policy.config.SftConfig;
import dev.rlhf.policy.train.FineTuningLoop;
import dev.rlhf.policy.train.LoopState;
import dev.rlhf.policy.train.PaddedBatch;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunCheckpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Supervised fine-tuning: the language-modelling loss on the assistant's response tokens only, so
 * the network learns to answer rather than to write user turns. The {@link FineTuningLoop} stops it
 * early when the held-out loss has not fallen for {@code patience} validations and keeps the
 * weights of the lowest; every step draws its batch from a generator seeded by the step, so a
 * resumed run goes on as if it had not stopped.
 */
public final class SftTrainer {

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

  /** The run's state file in its work directory. */
  public static final String STATE_FILE = "sft-state.json";

  private final SftConfig config;
  private final ProgressListener listener;
  private final List<Device> devices;

  /** A trainer on the network's own device. */
  public SftTrainer(SftConfig config, ProgressListener listener) {
    this(config, listener, List.of());
  }

  /**
   * @param devices the training devices, data-parallel (the first is the network's); empty: the
   *     network's alone
   */
  public SftTrainer(SftConfig config, ProgressListener listener, List<Device> devices) {
    this.config = config;
    this.listener = listener;
    this.devices = List.copyOf(devices);
  }

  /**
   * Fine-tunes {@code network} in place, from {@code state} (saved in {@code checkpoint} unless it
   * is the start).
   */
  public Result train(
      LanguageModel network,
      SftDataset data,
      LoopState state,
      RunCheckpoint<LoopState> checkpoint) {
    int pad = network.tokenizer().specialId(SpecialToken.END_OF_TEXT);
    FineTuningLoop.Settings settings =
        new FineTuningLoop.Settings(
            "SFT",
            config.steps(),
            config.lr(),
            config.minLr(),
            config.warmupSteps(),
            config.weightDecay(),
            config.gradClip(),
            config.evalEvery(),
            config.patience(),
            false);
    FineTuningLoop.Objective objective =
        new FineTuningLoop.Objective() {
          @Override
          public DataParallel.Part loss(
              LanguageModel replica, NDManager manager, int step, Shard shard) {
            NDArray loss = shardLoss(replica, batch(data, step), shard, pad, manager);
            if (loss == null) return null;
            return new DataParallel.Part(loss, Map.of(TrainingMetrics.TRAIN_LOSS, loss));
          }

          @Override
          public FineTuningLoop.Validation validate() {
            float loss = validationLoss(network, data, pad);
            return new FineTuningLoop.Validation(
                loss, Map.of(TrainingMetrics.VAL_LOSS, (double) loss));
          }

          @Override
          public List<String> samples() {
            return SftTrainer.samples(network, data);
          }
        };
    FineTuningLoop.Result r =
        new FineTuningLoop(settings, listener, devices).run(network, objective, state, checkpoint);
    LoopState end = r.state();
    float kept =
        Float.isNaN(end.bestValidationLoss()) ? end.validationLoss() : end.bestValidationLoss();
    return new Result(end.initialValidationLoss(), kept, end.trainLoss(), r.steps(), r.keptStep());
  }

  /** The batch of {@code step}: drawn with a generator seeded by the step alone. */
  private List<SftExample> batch(SftDataset data, int step) {
    Random random = new Random(config.seed() * 1_000_003L + step);
    List<SftExample> batch = new ArrayList<>();
    for (int i = 0; i < config.batch(); i++) {
      batch.add(data.train().get(random.nextInt(data.train().size())));
    }
    return batch;
  }

  /**
   * {@code shard}'s share of the mean loss on the batch's response tokens (PPO's and DPO's ptx term
   * too): its own mean scaled by its share of the response tokens; null when the shard holds none
   * of the batch.
   */
  public static NDArray shardLoss(
      LanguageModel network, List<SftExample> batch, Shard shard, int pad, NDManager step) {
    List<SftExample> mine = shard.of(batch);
    if (mine.isEmpty()) return null;
    return shard.scaled(
        batchLoss(network, mine, pad, step), targetTokens(mine), targetTokens(batch));
  }

  /** Tokens the loss is taken on: the response tokens after the first position. */
  private static long targetTokens(List<SftExample> batch) {
    long n = 0;
    for (SftExample e : batch) {
      int[] lm = e.lossMask();
      for (int i = 1; i < lm.length; i++) n += lm[i];
    }
    return n;
  }

  /** Mean loss on the batch's response tokens. */
  private static NDArray batchLoss(
      LanguageModel network, List<SftExample> batch, int pad, NDManager step) {
    NDArray tokens =
        PaddedBatch.of(batch.stream().map(SftExample::tokens).toList(), pad)
            .toArray(step); // (B, T+1)
    NDArray mask = targetMask(step, batch, tokens.getShape().get(1)); // (B, T)
    NDArray logits =
        network.logits(network.hidden(tokens.get(":, :-1"), null, true), true); // (B, T, V)
    return LanguageModelLoss.maskedCrossEntropy(logits, tokens.get(":, 1:"), mask);
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
