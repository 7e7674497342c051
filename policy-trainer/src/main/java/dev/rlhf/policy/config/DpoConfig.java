package dev.rlhf.policy.config;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;

/**
 * Direct preference optimisation hyper-parameters (Rafailov et al. 2023; the names and meanings of
 * TRL's {@code DPOConfig} where it has them); the defaults are the DPO stage's {@link
 * HyperParameterDefaults}, which labeling-service shows.
 *
 * @param epochs passes over the training prompts (early stopping may end sooner)
 * @param promptsPerBatch prompts per optimizer step; all pairs of a prompt share its batch, and
 *     each distinct completion is scored once however many pairs it is in
 * @param beta how strongly the policy is held to the reference: the implicit reward is beta times
 *     the log-ratio of policy to reference (TRL: 0.1)
 * @param lossType sigmoid (DPO), robust (robust DPO, Chowdhury et al. 2024) or ipo (IPO, Azar et
 *     al. 2023, on log-probabilities averaged over the response's tokens, as TRL does)
 * @param labelSmoothing the share of labels assumed flipped: conservative DPO (cDPO) with sigmoid,
 *     the unbiased estimate with robust; 0 is plain DPO; ignored by ipo
 * @param rpoAlpha weight of the chosen responses' negative log-likelihood per token added to each
 *     pair's loss (RPO, TRL's {@code rpo_alpha}; 0: none)
 * @param ptxCoef weight of the language-modelling loss on the snapshot's demonstrations added to
 *     every step (as PPO's ptx term): the preference loss lowers the rejected responses' tokens
 *     wherever they occur, which a small model carries over to good answers of the same shape; text
 *     the labelers wrote keeps it fluent (0: none)
 * @param lr peak learning rate after warm-up
 * @param minLr learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled weight decay of the matrices
 * @param gradClip bound on the global gradient norm
 * @param heldOutPercent share of prompts held out (the reward model's split of prompt ids, so its
 *     held-out accuracy and DPO's are measured on the same pairs)
 * @param evalEvery steps between held-out validations and checkpoints
 * @param patience validations without a lower held-out loss before the run stops, never before the
 *     warm-up and that many validations are over; the trained weights of the lowest are kept (0:
 *     never stop early)
 * @param maxNewTokens most tokens of the answers sampled at validations for the KL to the reference
 * @param maxChosenLogpDrop nats per response the held-out chosen responses may lose against the
 *     reference before the run warns that the chosen log-probability is falling
 * @param seed seeds the batch order and the sampled answers
 */
public record DpoConfig(
    int epochs,
    int promptsPerBatch,
    float beta,
    LossType lossType,
    float labelSmoothing,
    float rpoAlpha,
    float ptxCoef,
    float lr,
    float minLr,
    int warmupSteps,
    float weightDecay,
    float gradClip,
    float heldOutPercent,
    int evalEvery,
    int patience,
    int maxNewTokens,
    float maxChosenLogpDrop,
    long seed) {

  /** The preference loss (TRL's {@code loss_type}). */
  public enum LossType {
    SIGMOID,
    ROBUST,
    IPO
  }

  public DpoConfig {
    if (epochs <= 0 || promptsPerBatch <= 0 || evalEvery <= 0 || maxNewTokens <= 0) {
      throw new IllegalArgumentException("bad DPO configuration: " + this);
    }
    if (lr <= 0 || minLr < 0 || minLr > lr || warmupSteps < 0 || patience < 0) {
      throw new IllegalArgumentException("bad DPO learning-rate schedule or patience: " + this);
    }
    if (beta <= 0) {
      throw new IllegalArgumentException("beta must be above 0: " + this);
    }
    if (labelSmoothing < 0 || labelSmoothing >= 0.5f) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 0.5): " + this);
    }
    if (rpoAlpha < 0) {
      throw new IllegalArgumentException("rpoAlpha must be at least 0: " + this);
    }
    if (ptxCoef < 0) {
      throw new IllegalArgumentException("ptxCoef must be at least 0: " + this);
    }
    if (heldOutPercent < 0 || heldOutPercent >= 100) {
      throw new IllegalArgumentException("heldOutPercent must be in [0, 100): " + this);
    }
  }

  public static DpoConfig defaults() {
    return PolicyTrainingConfig.parse(
        DpoConfig.class, HyperParameterDefaults.of(TrainingStage.DPO));
  }
}
