package dev.rlhf.lm.pretrain;

import dev.rlhf.lm.nn.GptConfig;

/**
 * Everything a pretraining run depends on; saved into the checkpoint's lineage.
 *
 * @param config network shapes (its blockSize is the training context)
 * @param steps optimizer steps
 * @param batch rows per step
 * @param lr peak learning rate, reached after {@code warmupSteps}
 * @param minLr learning rate at the end of the cosine decay (nanoGPT: lr / 10)
 * @param warmupSteps linear warm-up length
 * @param weightDecay AdamW decoupled decay of matrices
 * @param gradClip global gradient-norm bound
 * @param evalEvery steps between validation-loss evaluations (and checkpoint saves)
 * @param evalBatches validation batches per evaluation
 * @param sampleEvery steps between printed samples; 0 for none
 * @param seed seeds initialisation and batch order
 * @param validationFraction share of the corpus held out
 */
public record PretrainOptions(
    GptConfig config,
    int steps,
    int batch,
    float lr,
    float minLr,
    int warmupSteps,
    float weightDecay,
    float gradClip,
    int evalEvery,
    int evalBatches,
    int sampleEvery,
    long seed,
    double validationFraction) {

  public PretrainOptions {
    if (steps <= 0 || batch <= 0 || evalEvery <= 0 || evalBatches <= 0) {
      throw new IllegalArgumentException("steps, batch and evaluation sizes must be positive");
    }
  }

  /** Sensible defaults for small networks: lr 1e-3 to 1e-4, 10% warm-up, decay 0.1, clip 1. */
  public static PretrainOptions defaults(GptConfig config, int steps, int batch, long seed) {
    return new PretrainOptions(
        config,
        steps,
        batch,
        1e-3f,
        1e-4f,
        Math.max(1, steps / 10),
        0.1f,
        1f,
        Math.max(1, steps / 10),
        8,
        Math.max(1, steps / 4),
        seed,
        0.05);
  }

  /** Context length rows are cut to. */
  public int context() {
    return config.blockSize();
  }
}
