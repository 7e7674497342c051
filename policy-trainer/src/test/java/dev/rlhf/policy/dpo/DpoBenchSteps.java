package dev.rlhf.policy.dpo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.policy.train.ResponseSequence;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * For bench/policy-trainer's DPO step benchmark: the batches {@link DpoTrainer} takes in the first
 * epoch, encoded and scored by the frozen reference exactly as it does (so another implementation
 * can run the same steps), and a split of a step's time into its phases. The benchmark's step times
 * come from {@link DpoTrainer} itself; the split repeats its step with the same classes (policy
 * passes by length bucket, {@link DpoLoss}, gradient collector, clipping, {@link AdamW}) and a
 * clock between them.
 */
public final class DpoBenchSteps {

  /**
   * One step's rows and pairs.
   *
   * @param rows every distinct completion of the batch's prompts, after its prompt
   * @param reference each row's response log-probability under the reference
   * @param chosen per pair, the row of its chosen response
   * @param rejected per pair, the row of its rejected response
   * @param buckets the rows of each of the step's passes, as the trainer buckets them by length
   */
  public record Batch(
      List<ResponseSequence> rows,
      float[] reference,
      long[] chosen,
      long[] rejected,
      List<int[]> buckets) {

    /** Real (unpadded) tokens of the pass: every row's prompt and response. */
    public int tokens() {
      return rows.stream().mapToInt(r -> r.promptTokens().length + r.length()).sum();
    }

    /**
     * Positions the step's passes compute: per bucket, its rows times its padded width less the one
     * position it does not read.
     */
    public long paddedPositions() {
      return LengthBuckets.positions(rows, buckets);
    }

    /** Positions one pass over all rows padded to the longest would compute (before buckets). */
    public long onePassPositions() {
      return LengthBuckets.positions(rows, List.of(LengthBuckets.of(rows, 1).get(0)));
    }
  }

  /**
   * Seconds of one step by phase.
   *
   * @param forward the policy's pass and the loss, inside the gradient collector
   * @param backward the backward pass
   * @param optimizer gradient clipping and the AdamW update
   */
  public record Phases(double forward, double backward, double optimizer) {}

  /**
   * @param batches the epoch's batches in the trainer's order
   * @param referenceSeconds the reference's scoring of every batch, encoding included
   */
  public record Epoch(List<Batch> batches, double referenceSeconds) {}

  private DpoBenchSteps() {}

  /**
   * The first epoch's batches of a {@link DpoTrainer} run over {@code train}, in its order, with
   * the time the reference took to score them (the trainer does this once per run, before its
   * steps).
   */
  public static Epoch firstEpoch(
      List<PromptComparisons> train, LanguageModel reference, DpoConfig config) {
    long start = System.nanoTime();
    List<EncodedPreferences.Prompt> encoded =
        EncodedPreferences.encode(train, reference, config.promptsPerBatch());
    double seconds = (System.nanoTime() - start) / 1e9;
    // DpoTrainer's order of an epoch: its own seeded shuffle of the prompts, then consecutive
    // slices. The benchmark checks the order by the first step's log-probabilities.
    List<EncodedPreferences.Prompt> order = new ArrayList<>(encoded);
    Collections.shuffle(order, new Random(config.seed() * 1_000_003L));
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < order.size(); from += config.promptsPerBatch()) {
      EncodedPreferences.Rows rows =
          EncodedPreferences.Rows.of(
              order.subList(from, Math.min(order.size(), from + config.promptsPerBatch())));
      batches.add(
          new Batch(
              rows.rows(),
              rows.reference(),
              rows.chosen(),
              rows.rejected(),
              LengthBuckets.of(rows.rows())));
    }
    return new Epoch(batches, seconds);
  }

  /** Trains {@code policy} on {@code batch} once and answers where the step's time went. */
  public static Phases timedStep(
      LanguageModel policy, AdamW adam, Batch batch, DpoConfig config, float lr) {
    DpoLoss loss = new DpoLoss(config);
    try (NDManager m = policy.manager().newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long start = System.nanoTime();
      long forwardEnd;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logProbs =
            LengthBuckets.sequenceLogProbs(policy, batch.rows(), batch.buckets(), m, true); // (R)
        float[] lengths = new float[batch.rows().size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = batch.rows().get(i).length();
        NDArray value =
            loss.compute(
                    logProbs,
                    m.create(batch.reference()),
                    m.create(lengths),
                    m.create(batch.chosen()),
                    m.create(batch.rejected()))
                .loss();
        forwardEnd = System.nanoTime();
        collector.backward(value);
      }
      long backwardEnd = System.nanoTime();
      GradientClipping.clip(adam.weights(), config.gradClip());
      adam.step(lr);
      long end = System.nanoTime();
      return new Phases(
          (forwardEnd - start) / 1e9, (backwardEnd - forwardEnd) / 1e9, (end - backwardEnd) / 1e9);
    }
  }
}
