package dev.rlhf.policy.ppo;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;

/** A programmatic preference: the share of one character in the answer. */
public final class TargetCharacterReward implements RewardFunction {

  private final char target;

  public TargetCharacterReward(char target) {
    this.target = target;
  }

  @Override
  public double[] score(List<List<Turn>> prompts, List<String> completions) {
    return completions.stream().mapToDouble(this::share).toArray();
  }

  double share(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    return text.chars().filter(c -> c == target).count() / (double) text.length();
  }
}
