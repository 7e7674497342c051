package dev.rlhf.lm.sample;

/** Why a completion ended (the OpenAI API's {@code finish_reason}). */
public enum FinishReason {
  /** An end-of-turn / end-of-text token or a stop sequence. */
  STOP,
  /** {@code maxTokens} reached or the context is full. */
  LENGTH
}
