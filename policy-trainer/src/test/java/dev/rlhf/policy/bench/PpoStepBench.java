package dev.rlhf.policy.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.ppo.PpoState;
import dev.rlhf.policy.ppo.PpoTrainer;
import dev.rlhf.policy.ppo.PromptPool;
import dev.rlhf.policy.ppo.RewardFunction;
import dev.rlhf.policy.train.RunCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Time per PPO step (generation, scoring, training) and training throughput on a 6-layer, 384-wide
 * network, plus a 1024x1024 matmul loop for the machine's fp32 peak. Prints one line per step ("djl
 * step ...") for bench/policy-trainer/compare.py.
 */
public final class PpoStepBench {

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Engine.getInstance().setRandomSeed(1);
    System.out.printf("djl peak_gflops %.1f%n", matmulPeak());
    GptConfig config =
        new GptConfig(6, 6, 384, 128, new ByteTokenizer().vocabSize(), 0f, true, true);
    PpoConfig ppo =
        new PpoConfig(
            steps, 16, 8, 1, 32, 1f, 1e-5f, 1f, 0.2f, 0.2f, 0.1f, 0f, 1f, 0.95f, 0.05f, 6f, 10_000f,
            1e9f, 1_000, 0f, 1e9f, 0f, 1e9f, true, 1_000_000, 0, true, 1);
    RewardFunction reward =
        (List<List<Turn>> prompts, List<String> completions) ->
            completions.stream()
                .mapToDouble(c -> c.chars().filter(ch -> ch == 'a').count() / (c.length() + 1.0))
                .toArray();
    Path work = Files.createTempDirectory("ppo-bench");
    try (LanguageModel policy = LanguageModel.create(config, new ByteTokenizer(), Device.cpu());
        LanguageModel reference = policy.copy()) {
      System.out.printf("djl params %d%n", reference.parameterCount());
      new PpoTrainer(
              ppo,
              reward,
              null,
              PromptPool.demoWorld(1, 64),
              (step, total, m, samples) ->
                  System.out.printf(
                      "djl step %d generation_s %.3f scoring_s %.3f training_s %.3f"
                          + " train_tokens_per_s %.1f response_length %.1f"
                          + " prompt_length %.2f prompt_length_max %.0f%n",
                      step,
                      m.get("time_generation_s"),
                      m.get("time_scoring_s"),
                      m.get("time_training_s"),
                      m.get("train_tokens_per_s"),
                      m.get("response_length"),
                      m.get("prompt_length"),
                      m.get("prompt_length_max")))
          .train(
              policy,
              reference,
              PpoState.start(ppo.initKlCoef()),
              new RunCheckpoint<>(
                  work,
                  PpoState.FILE,
                  PpoState.class,
                  new RunCheckpoint.Identity(CheckpointKind.POLICY, "bench", null, Map.of())));
      System.out.printf("djl optimizer_step_ms %.1f%n", optimizerStepMillis(policy));
    }
  }

  /**
   * One AdamW step over every parameter of the policy (weight decay 0.1, gradients zeroed after),
   * best of 5: the part of a training step that is bound by memory traffic, not by GEMMs.
   */
  private static double optimizerStepMillis(LanguageModel policy) {
    try (AdamW adam = AdamW.gptDefaults(policy.namedParameters(), 0.1f)) {
      double best = Double.MAX_VALUE;
      for (int rep = 0; rep < 5; rep++) {
        try (NDScope scope = new NDScope();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          scope.suppressNotUsedWarning();
          NDArray loss = null;
          for (NDArray w : adam.weights()) {
            NDArray squares = w.square().sum();
            loss = loss == null ? squares : loss.add(squares);
          }
          collector.backward(loss);
        }
        long start = System.nanoTime();
        adam.step(1e-5f);
        best = Math.min(best, (System.nanoTime() - start) / 1e6);
      }
      return best;
    }
  }

  /** The machine's fp32 peak for utilisation figures: best of 5 x 10 products of 1024x1024. */
  static double matmulPeak() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(1024, 1024));
      double best = 0;
      for (int rep = 0; rep < 5; rep++) {
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
          a.matMul(b).close();
        }
        double s = (System.nanoTime() - start) / 1e9;
        best = Math.max(best, 10 * 2.0 * 1024 * 1024 * 1024 / s / 1e9);
      }
      return best;
    }
  }
}
