package dev.rlhf.reward.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Reward-model training throughput of our trainer (a benchmark, not a test; run by
 * bench/reward-trainer/run.sh next to the same model and loss in PyTorch). Each step is 4 prompts
 * of 4 completions, 64 tokens each (16 rows, 24 pairs), through {@link RewardTrainer}'s own step:
 * forward, pairwise loss, backward, clipping, AdamW. Also measures the machine's fp32 matmul peak
 * in the same process and prints the share of it the step reaches (6 * params * tokens FLOPs).
 */
public final class RewardTrainerBench {

  static final int PROMPTS = 4;
  static final int K = 4;
  static final int LENGTH = 64;

  private RewardTrainerBench() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    double peak = matmulPeak(reps);
    GptConfig config =
        new GptConfig(6, 6, 384, LENGTH, new ByteTokenizer().vocabSize(), 0f, true, true);
    Engine.getInstance().setRandomSeed(1);
    RewardTrainingOptions options =
        RewardTrainingOptions.defaults().with(Map.of("promptsPerBatch", String.valueOf(PROMPTS)));
    try (LanguageModel lm = LanguageModel.create(config, new ByteTokenizer(), Device.cpu())) {
      lm.addRewardHead();
      EncodedBatch batch = EncodedBatch.of(prompts(), lm.chatTemplate(), LENGTH);
      if (batch.length() != LENGTH || batch.pairs() != PROMPTS * K * (K - 1) / 2) {
        throw new IllegalStateException("batch shape drifted: " + batch.length());
      }
      RewardTrainer trainer = new RewardTrainer(options, null);
      ChatTemplate template = lm.chatTemplate();
      try (DataParallel one = DataParallel.over(lm, List.of());
          AdamW adam = AdamW.gptDefaults(lm.namedParameters(), 0.1f)) {
        for (int i = 0; i < 2; i++)
          trainer.trainStep(one, adam, prompts(), template, LENGTH, 1e-4f);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < steps; i++) {
            trainer.trainStep(one, adam, prompts(), template, LENGTH, 1e-4f);
          }
          best = Math.min(best, (System.nanoTime() - t0) / 1e9 / steps);
        }
        long params = lm.parameterCount();
        double flops = 6.0 * params * batch.rows() * LENGTH / best;
        System.out.printf(
            "{\"impl\":\"djl\",\"params\":%d,\"step_s\":%.4f,\"pairs_per_s\":%.2f,"
                + "\"model_gflops\":%.2f,\"matmul_peak_gflops\":%.2f,\"peak_share\":%.4f}%n",
            params, best, batch.pairs() / best, flops / 1e9, peak / 1e9, flops / peak);
      }
    }
  }

  /** Best fp32 1024x1024 matmul rate, FLOP/s. */
  static double matmulPeak(int reps) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      double best = 0;
      for (int r = 0; r < reps + 1; r++) {
        int n = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          try (NDArray c = a.matMul(b)) {
            c.getFloat(0, 0);
          }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (r > 0) best = Math.max(best, n * 2.0 * 1024 * 1024 * 1024 / s);
      }
      return best;
    }
  }

  /** Random letters sized so every reward input is exactly {@code LENGTH} tokens. */
  static List<PromptComparisons> prompts() {
    Random random = new Random(1);
    List<PromptComparisons> prompts = new ArrayList<>();
    int question = 20;
    int completion = LENGTH - 6 - question; // <eot><user>q<end><assistant>c<end><reward>
    for (int p = 0; p < PROMPTS; p++) {
      List<String> completions = new ArrayList<>();
      for (int k = 0; k < K; k++) completions.add(letters(random, completion));
      int pairs = K * (K - 1) / 2;
      int[] chosen = new int[pairs];
      int[] rejected = new int[pairs];
      int i = 0;
      for (int a = 0; a < K; a++) {
        for (int b = a + 1; b < K; b++) {
          chosen[i] = a;
          rejected[i++] = b;
        }
      }
      prompts.add(
          new PromptComparisons(
              UUID.randomUUID(),
              List.of(Turn.user(letters(random, question))),
              completions,
              chosen,
              rejected));
    }
    return prompts;
  }

  private static String letters(Random random, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) s.append((char) ('a' + random.nextInt(26)));
    return s.toString();
  }
}
