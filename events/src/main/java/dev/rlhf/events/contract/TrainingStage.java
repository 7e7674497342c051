package dev.rlhf.events.contract;

/** The stages of a training cycle, in the order they run. */
public enum TrainingStage {
  /** Supervised fine-tuning on demonstrations; run by policy-trainer. */
  SFT,
  /** Reward modelling on rankings; run by reward-trainer. */
  REWARD,
  /** PPO against the frozen reward model; run by policy-trainer. */
  PPO,
  /**
   * Direct preference optimisation on rankings, without a reward model: the policy starts from the
   * cycle's SFT version, which is also its frozen reference; run by policy-trainer.
   */
  DPO
}
