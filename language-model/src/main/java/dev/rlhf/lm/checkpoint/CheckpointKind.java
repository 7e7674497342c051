package dev.rlhf.lm.checkpoint;

/** What training stage produced a checkpoint. */
public enum CheckpointKind {
  /** Pretrained on raw text (or imported GPT-2): completes documents. */
  BASE,
  /** Fine-tuned on demonstrations. */
  SFT,
  /** A reward model: the network plus a reward head. */
  REWARD,
  /** A PPO policy (optionally with its value head). */
  POLICY
}
