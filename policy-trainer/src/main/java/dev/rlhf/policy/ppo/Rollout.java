package dev.rlhf.policy.ppo;

import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.train.ResponseSequence;
import java.util.List;

/**
 * One sampled completion and everything PPO learns from it. Arrays run over the response tokens:
 * index i is the action of emitting response token i.
 *
 * @param prompt the conversation answered
 * @param promptTokens the encoded prompt, ending in {@code <|assistant|>}
 * @param responseTokens the sampled tokens (including a closing {@code <|end|>})
 * @param text the completion's text
 * @param score the reward function's score of the whole completion (raw)
 * @param logProbs log-probability of each token under the policy that sampled it
 * @param refLogProbs the same under the frozen reference
 * @param values the value head's estimate before each token
 * @param entropy mean entropy of the policy's next-token distribution over the response
 */
public record Rollout(
    List<Turn> prompt,
    int[] promptTokens,
    int[] responseTokens,
    String text,
    double score,
    float[] logProbs,
    float[] refLogProbs,
    float[] values,
    float entropy)
    implements ResponseSequence {

  /** KL to the reference summed over the response: the estimator {@code log p - log p_ref}. */
  public double kl() {
    double kl = 0;
    for (int i = 0; i < logProbs.length; i++) {
      kl += logProbs[i] - refLogProbs[i];
    }
    return kl;
  }
}
