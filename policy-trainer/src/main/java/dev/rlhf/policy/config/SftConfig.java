package dev.rlhf.policy.config;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;

/**
 * Supervised fine-tuning hyper-parameters; the defaults are the SFT stage's {@link
 * HyperParameterDefaults}, which labeling-service shows.
 *
 * @param steps optimizer steps at most
 * @param batch conversations per step
 * @param lr peak learning rate (fine-tuning uses a smaller one than pretraining)
 * @param minLr learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled weight decay of the matrices
 * @param gradClip bound on the global gradient norm
 * @param validationFraction share of prompts held out (split by prompt, so no prompt is in both)
 * @param evalEvery steps between validations and progress events
 * @param patience validations without a lower held-out loss before the run stops, never before the
 *     warm-up and that many validations are over; the trained weights of the lowest are kept (0:
 *     never stop early). A few hundred demonstrations are learnt in a few dozen steps; training on,
 *     the network memorises them and answers worse elsewhere
 * @param seed seeds the batch order and samples (the split is by prompt id alone)
 */
public record SftConfig(
    int steps,
    int batch,
    float lr,
    float minLr,
    int warmupSteps,
    float weightDecay,
    float gradClip,
    float validationFraction,
    int evalEvery,
    int patience,
    long seed) {

  public SftConfig {
    if (steps <= 0 || batch <= 0 || evalEvery <= 0 || lr <= 0 || patience < 0) {
      throw new IllegalArgumentException("bad SFT configuration: " + this);
    }
    if (validationFraction < 0 || validationFraction >= 1) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1): " + this);
    }
  }

  public static SftConfig defaults() {
    return PolicyTrainingConfig.parse(
        SftConfig.class, HyperParameterDefaults.of(TrainingStage.SFT));
  }
}
