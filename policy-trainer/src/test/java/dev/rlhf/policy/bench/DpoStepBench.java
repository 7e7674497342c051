package dev.rlhf.policy.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.policy.dpo.DpoBenchSteps;
import dev.rlhf.policy.dpo.DpoTrainer;
import dev.rlhf.policy.train.LoopState;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.ResponseSequence;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.training.preferences.PreferenceDataset;
import dev.rlhf.training.preferences.Rankings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * DPO steps of the policy trainer on a 6-layer, 384-wide policy: {@link DpoTrainer} with the DPO
 * stage's default hyper-parameters (8 prompts a step, sigmoid loss, beta 0.1) on rankings of
 * demo-world prompts, K = 4 completions each as the alignment benchmark ranks them. Writes the
 * policy's initial weights and every step's rows and pairs into the output directory, so
 * bench/policy-trainer/bench_torch_dpo.py runs the same steps on the same weights, and prints one
 * line per step ("djl step ...", with the share of real tokens among the positions its passes
 * compute), the reference's scoring time, a per-phase split of repeated steps and the 1024x1024
 * matmul peak.
 *
 * <p>Arguments: steps (8), output directory.
 */
public final class DpoStepBench {

  /** Completions per ranking: the alignment benchmark's K. */
  private static final int K = 4;

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    Path out = Path.of(args.length > 1 ? args[1] : "policy-trainer/target/bench-dpo");
    Files.createDirectories(out);
    Engine.getInstance().setRandomSeed(1);
    System.out.printf("djl peak_gflops %.1f%n", PpoStepBench.matmulPeak());
    DpoConfig d = DpoConfig.defaults();
    // The stage's defaults, one epoch of `steps` batches, and no validation before the last step
    // (a validation samples answers and saves checkpoints: not part of a step).
    DpoConfig config =
        new DpoConfig(
            1,
            d.promptsPerBatch(),
            d.beta(),
            d.lossType(),
            d.labelSmoothing(),
            d.rpoAlpha(),
            d.ptxCoef(),
            d.lr(),
            d.minLr(),
            d.warmupSteps(),
            d.weightDecay(),
            d.gradClip(),
            d.heldOutPercent(),
            steps,
            d.patience(),
            d.maxNewTokens(),
            d.maxChosenLogpDrop(),
            d.seed());
    PreferenceDataset all = PreferenceDataset.of(demoRankings(steps * config.promptsPerBatch()), 0);
    // Every prompt trains (the split keeps one held out; it joins the others): nothing to validate.
    PreferenceDataset data =
        new PreferenceDataset(concat(all.train(), all.heldOut()), List.of(), all.labelEventIds());
    GptConfig shape =
        new GptConfig(6, 6, 384, 128, new ByteTokenizer().vocabSize(), 0f, true, true);
    try (LanguageModel policy = LanguageModel.create(shape, new ByteTokenizer(), Device.cpu());
        LanguageModel reference = policy.copy()) {
      System.out.printf("djl params %d%n", policy.parameterCount());
      export(policy, out.resolve("model.safetensors"));
      DpoBenchSteps.Epoch epoch = DpoBenchSteps.firstEpoch(data.train(), reference, config);
      System.out.printf(
          "djl reference_pass_s %.3f batches %d%n",
          epoch.referenceSeconds() / epoch.batches().size(), epoch.batches().size());
      writeBatches(out.resolve("batches.json"), epoch.batches(), config);

      StepClock clock = new StepClock(epoch.batches());
      DpoTrainer.Result result =
          new DpoTrainer(config, clock)
              .train(
                  policy,
                  reference,
                  data,
                  LoopState.START,
                  new RunCheckpoint<>(
                      Files.createTempDirectory("dpo-bench"),
                      DpoTrainer.STATE_FILE,
                      LoopState.class,
                      new RunCheckpoint.Identity(CheckpointKind.POLICY, "bench", null, Map.of())));
      if (result.steps() != steps) {
        throw new IllegalStateException("the trainer took " + result.steps() + " steps");
      }

      // The same batches again, timed phase by phase (the policy trains on from where it is).
      try (AdamW adam = AdamW.gptDefaults(policy.namedParameters(), config.weightDecay())) {
        for (int i = 0; i < epoch.batches().size(); i++) {
          DpoBenchSteps.Phases p =
              DpoBenchSteps.timedStep(policy, adam, epoch.batches().get(i), config, config.lr());
          System.out.printf(
              "djl phases %d forward_s %.3f backward_s %.3f optimizer_s %.3f%n",
              i + 1, p.forward(), p.backward(), p.optimizer());
        }
      }
    }
  }

  /** Times each of the trainer's steps: it asks whether to cancel right before each one. */
  private static final class StepClock implements ProgressListener {
    private final List<DpoBenchSteps.Batch> batches;
    private long started;

    StepClock(List<DpoBenchSteps.Batch> batches) {
      this.batches = batches;
    }

    @Override
    public boolean cancelled() {
      started = System.nanoTime();
      return false;
    }

    @Override
    public void onProgress(
        long step, long totalSteps, Map<String, Double> metrics, List<String> samples) {
      double seconds = (System.nanoTime() - started) / 1e9;
      DpoBenchSteps.Batch batch = batches.get((int) step - 1);
      System.out.printf(
          "djl step %d step_s %.3f tokens %d padded_positions %d one_pass_positions %d"
              + " real_share %.3f buckets %d rows %d pairs %d loss %.6f"
              + " logp_chosen %.4f logp_rejected %.4f lr %.8g%n",
          step,
          seconds,
          batch.tokens(),
          batch.paddedPositions(),
          batch.onePassPositions(),
          (double) batch.tokens() / batch.paddedPositions(),
          batch.buckets().size(),
          batch.rows().size(),
          batch.chosen().length,
          metrics.get(TrainingMetrics.LOSS),
          metrics.get(TrainingMetrics.LOGP_CHOSEN),
          metrics.get(TrainingMetrics.LOGP_REJECTED),
          metrics.get("lr"));
    }
  }

  /**
   * Rankings of {@code count} demo-world prompts (every kind, stories and requests to be mean
   * included), each of K completions in the forms the demo corpus teaches the SFT policy: the
   * concise answer, the same opened with "Sure! ", opened with a long preamble, and "I don't know."
   * Ranked by the demo world's preference (correct, then concise).
   */
  static List<RankingSubmitted> demoRankings(int count) {
    DemoWorld world = new DemoWorld(7);
    List<RankingSubmitted> rankings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt prompt = world.next();
      List<String> texts =
          new ArrayList<>(
              List.of(
                  prompt.reference(),
                  "Sure! " + prompt.reference(),
                  "That is a good question. Let me think about it for a while. "
                      + prompt.reference(),
                  "I don't know."));
      // DemoWorld.prefers as an order: the higher score first, then the shorter text.
      texts.sort(
          Comparator.comparingDouble((String t) -> -DemoWorld.score(prompt, t))
              .thenComparingInt(t -> t.trim().length()));
      List<RankingSubmitted.RankedCompletion> ranked = new ArrayList<>();
      for (int r = 0; r < K; r++) ranked.add(Rankings.completion(texts.get(r), r + 1));
      rankings.add(Rankings.ranking(new UUID(7, i), prompt.question(), ranked, false, null));
    }
    return rankings;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void export(LanguageModel policy, Path file) throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    policy
        .namedParameters()
        .forEach(
            (name, p) ->
                tensors.put(
                    name,
                    new Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray())));
    SafeTensors.write(file, tensors);
  }

  /** Every step's rows (prompt and response tokens) and pairs, for the PyTorch loop. */
  private static void writeBatches(Path file, List<DpoBenchSteps.Batch> batches, DpoConfig config)
      throws Exception {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (DpoBenchSteps.Batch b : batches) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("prompts", b.rows().stream().map(ResponseSequence::promptTokens).toList());
      step.put("responses", b.rows().stream().map(ResponseSequence::responseTokens).toList());
      step.put("reference", b.reference());
      step.put("chosen", b.chosen());
      step.put("rejected", b.rejected());
      step.put("buckets", b.buckets());
      steps.add(step);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("beta", config.beta());
    all.put("labelSmoothing", config.labelSmoothing());
    all.put("rpoAlpha", config.rpoAlpha());
    all.put("lossType", config.lossType());
    all.put("gradClip", config.gradClip());
    all.put("weightDecay", config.weightDecay());
    all.put("padId", new ByteTokenizer().specialId(SpecialToken.END_OF_TEXT));
    all.put("steps", steps);
    new ObjectMapper().writeValue(file.toFile(), all);
  }
}
