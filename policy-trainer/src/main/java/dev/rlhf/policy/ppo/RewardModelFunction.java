package dev.rlhf.policy.ppo;

import ai.djl.Device;
import dev.rlhf.lm.reward.RewardScorer;
import dev.rlhf.lm.tokenizer.Turn;
import java.nio.file.Path;
import java.util.List;

/**
 * The reward model as PPO's reward: a frozen {@link RewardScorer} (a REWARD checkpoint read at the
 * {@code <|reward|>} token after the completion, with its own tokenizer, so policy and reward model
 * need not share one), the same scorer the runtime uses to order ranking tasks.
 */
public final class RewardModelFunction implements RewardFunction {

  private final RewardScorer scorer;

  private RewardModelFunction(RewardScorer scorer) {
    this.scorer = scorer;
  }

  /** Loads the reward model of a checkpoint directory. */
  public static RewardModelFunction load(Path checkpoint, Device device) {
    return new RewardModelFunction(RewardScorer.load(checkpoint, device));
  }

  @Override
  public double[] score(List<List<Turn>> prompts, List<String> completions) {
    return scorer.scoreEach(prompts, completions);
  }

  @Override
  public void close() {
    scorer.close();
  }
}
