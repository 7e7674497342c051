package dev.rlhf.events.contract;

/**
 * Names of the metrics the trainers report in {@link TrainingProgressReported} and that the cycle
 * page charts (web {@code cycles/cycle.js} maps these names to its charts). A trainer may report
 * more; these are the ones a researcher watches.
 */
public final class TrainingMetrics {

  /** SFT: mean loss on the assistant's tokens over the last training steps. */
  public static final String TRAIN_LOSS = "train_loss";

  /** SFT: loss on the held-out prompts. */
  public static final String VAL_LOSS = "val_loss";

  /** Reward model: pairwise loss of the latest training batch. */
  public static final String LOSS = "loss";

  /** Reward model: share of the latest training batch's pairs ranked right. */
  public static final String ACCURACY = "accuracy";

  /** Reward model: pairwise loss on the held-out prompts. */
  public static final String HELDOUT_LOSS = "heldout_loss";

  /** Reward model: share of the held-out pairs ranked right. */
  public static final String HELDOUT_ACCURACY = "heldout_accuracy";

  /** PPO: mean reward of the step's rollouts. */
  public static final String REWARD_MEAN = "reward_mean";

  /** PPO: mean KL of the policy to the reference over the step's responses. */
  public static final String KL = "kl";

  private TrainingMetrics() {}
}
