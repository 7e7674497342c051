package dev.rlhf.lm.sample;

/**
 * One generated continuation.
 *
 * @param text decoded text, without the stop token or stop sequence
 * @param tokens generated ids, including a final {@code <|end|>} / {@code <|endoftext|>} if one was
 *     emitted (so PPO also reinforces ending)
 * @param logProbs per generated token, its log-probability under the sampling distribution (logits
 *     divided by the temperature, before top-k/top-p truncation; temperature 1 when greedy)
 * @param finishReason why it ended
 */
public record Completion(String text, int[] tokens, float[] logProbs, FinishReason finishReason) {}
