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

  /** Reward model: the 95% Wilson interval of the held-out accuracy, lower bound. */
  public static final String HELDOUT_ACCURACY_LOW = "heldout_accuracy_low";

  /** Reward model: the 95% Wilson interval of the held-out accuracy, upper bound. */
  public static final String HELDOUT_ACCURACY_HIGH = "heldout_accuracy_high";

  /** Reward model: informative pairs (distinct texts, not tied) it was trained on. */
  public static final String TRAIN_PAIRS = "train_pairs";

  /** Reward model: informative pairs its held-out accuracy is measured on. */
  public static final String HELDOUT_PAIRS = "heldout_pairs";

  /**
   * Reward model: accuracy of its independent check model (trained on the held-out prompts) on the
   * training prompts.
   */
  public static final String CHECK_HELDOUT_ACCURACY = "check_heldout_accuracy";

  /** PPO: mean reward of the step's rollouts. */
  public static final String REWARD_MEAN = "reward_mean";

  /** PPO: mean score of the step's rollouts under the reward model's independent check model. */
  public static final String CHECK_REWARD_MEAN = "check_reward_mean";

  /** PPO: mean KL of the policy to the reference over the step's responses. */
  public static final String KL = "kl";

  private TrainingMetrics() {}
}
