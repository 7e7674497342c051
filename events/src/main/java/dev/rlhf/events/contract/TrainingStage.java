package dev.rlhf.events.contract;

/** The stages of a training cycle, in the order they run. */
public enum TrainingStage {
  /** Supervised fine-tuning on demonstrations; run by policy-trainer. */
  SFT,
  /** Reward modelling on rankings; run by reward-trainer. */
  REWARD,
  /** PPO against the frozen reward model; run by policy-trainer. */
  PPO
}
