package dev.rlhf.policy.ppo;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;

/**
 * Scores completions: the frozen reward model in production, a programmatic preference in tests.
 * Scores are compared only within a run, so any scale works (they are whitened).
 */
public interface RewardFunction extends AutoCloseable {

  /**
   * @param prompts the conversation each completion answers
   * @param completions the assistant's text (special tokens removed)
   * @return one score per completion, higher is better
   */
  double[] score(List<List<Turn>> prompts, List<String> completions);

  @Override
  default void close() {}
}
