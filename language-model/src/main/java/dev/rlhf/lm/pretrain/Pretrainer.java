package dev.rlhf.lm.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.lm.train.LanguageModelLoss;
import dev.rlhf.lm.train.LearningRateSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pretrains a base network on a corpus by next-token prediction and saves its checkpoint. */
public final class Pretrainer {

  private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

  /**
   * @param checkpoint directory written
   * @param trainLoss mean training loss of the last evaluation interval
   * @param validationLoss loss on the held-out slice at the end
   * @param seconds wall time of the training loop
   * @param tokensPerSecond training throughput
   */
  public record Result(
      Path checkpoint,
      float initialValidationLoss,
      float trainLoss,
      float validationLoss,
      double seconds,
      double tokensPerSecond) {}

  private final PretrainOptions options;
  private final Tokenizer tokenizer;
  private final PretrainListener listener;

  public Pretrainer(PretrainOptions options, Tokenizer tokenizer, PretrainListener listener) {
    this.options = options;
    this.tokenizer = tokenizer;
    this.listener = listener;
  }

  /**
   * Trains from scratch and writes a {@link CheckpointKind#BASE} checkpoint to {@code out} at every
   * evaluation (so an interrupted run leaves a usable one).
   *
   * @param corpusDescription recorded as the checkpoint's data lineage
   */
  public Result run(List<String> documents, String corpusDescription, Path out, String version) {
    Engine.getInstance().setRandomSeed((int) options.seed());
    PackedTokens data = PackedTokens.of(documents, tokenizer, options.validationFraction());
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("corpus", corpusDescription);
    lineage.put("documents", documents.size());
    lineage.put("trainTokens", data.trainTokens());
    lineage.put("validationTokens", data.validationTokens());
    lineage.put("options", options.toString());
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            options.lr(), options.minLr(), options.warmupSteps(), options.steps());
    Random random = new Random(options.seed());
    int context = options.context();
    try (LanguageModel network =
            LanguageModel.create(options.config(), tokenizer, Devices.preferred());
        AdamW adam = AdamW.gptDefaults(network.namedParameters(), options.weightDecay())) {
      float initialValidation = validationLoss(network, data);
      float intervalLoss = 0;
      int intervalSteps = 0;
      float trainLoss = Float.NaN;
      float validation = initialValidation;
      long start = System.nanoTime();
      for (int step = 0; step < options.steps(); step++) {
        float lr = schedule.at(step);
        float loss = trainStep(network, adam, data.trainRows(random, options.batch(), context), lr);
        intervalLoss += loss;
        intervalSteps++;
        listener.onStep(step + 1, options.steps(), loss, lr);
        boolean last = step + 1 == options.steps();
        if ((step + 1) % options.evalEvery() == 0 || last) {
          trainLoss = intervalLoss / intervalSteps;
          intervalLoss = 0;
          intervalSteps = 0;
          validation = validationLoss(network, data);
          listener.onEvaluation(step + 1, trainLoss, validation);
          Map<String, Double> metrics =
              Map.of("train_loss", (double) trainLoss, "val_loss", (double) validation);
          Checkpoints.save(
              out,
              network,
              CheckpointMetadata.now(
                  options.config(),
                  tokenizer.name(),
                  CheckpointKind.BASE,
                  version,
                  null,
                  lineage,
                  metrics,
                  step + 1));
        }
        if (options.sampleEvery() > 0 && ((step + 1) % options.sampleEvery() == 0 || last)) {
          listener.onSample(step + 1, sample(network, step));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double tokens = (double) options.steps() * options.batch() * context;
      return new Result(out, initialValidation, trainLoss, validation, seconds, tokens / seconds);
    }
  }

  private float trainStep(LanguageModel network, AdamW adam, long[] rows, float lr) {
    try (NDManager step = network.manager().newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray batch = step.create(rows, new Shape(options.batch(), options.context() + 1));
      NDArray x = batch.get(":, :-1"); // (B, T)
      NDArray y = batch.get(":, 1:"); // (B, T)
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logits = network.logits(network.hidden(x, null, true), true); // (B, T, V)
        loss = LanguageModelLoss.crossEntropy(logits, y);
        collector.backward(loss);
      }
      float norm = GradientClipping.clip(adam.weights(), options.gradClip());
      if (Float.isFinite(norm)) {
        adam.step(lr);
      } else {
        // One overflowing batch must not poison the weights: drop its gradients.
        LOG.warn("skipping step with gradient norm {}", norm);
        adam.zeroGradients();
      }
      return loss.getFloat();
    }
  }

  /** Mean loss over the fixed validation rows. */
  private float validationLoss(LanguageModel network, PackedTokens data) {
    float sum = 0;
    for (int i = 0; i < options.evalBatches(); i++) {
      long[] rows =
          data.validationRows(i, options.evalBatches(), options.batch(), options.context());
      try (NDManager step = network.manager().newSubManager()) {
        NDArray batch = step.create(rows, new Shape(options.batch(), options.context() + 1));
        NDArray logits = network.logits(network.hidden(batch.get(":, :-1"), null, false), false);
        sum += LanguageModelLoss.crossEntropy(logits, batch.get(":, 1:")).getFloat();
      }
    }
    return sum / options.evalBatches();
  }

  private String sample(LanguageModel network, int step) {
    int[] prompt = {tokenizer.specialId(SpecialToken.END_OF_TEXT)};
    SamplingParams params = new SamplingParams(0.8f, 0, 1f, 120, List.of(), (long) step);
    return new Generator(network).sample(prompt, 1, params).get(0).text();
  }
}
