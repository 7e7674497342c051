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

  /** Reward model and DPO: pairwise loss of the latest training batch. */
  public static final String LOSS = "loss";

  /**
   * Reward model and DPO: share of the latest training batch's pairs ranked right (DPO: by the
   * implicit reward).
   */
  public static final String ACCURACY = "accuracy";

  /** Reward model and DPO: pairwise loss on the held-out prompts. */
  public static final String HELDOUT_LOSS = "heldout_loss";

  /**
   * Reward model and DPO: share of the held-out pairs ranked right (DPO: by the implicit reward,
   * beta times the log-ratio of policy to reference).
   */
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

  /**
   * PPO and DPO: the language-modelling loss on the snapshot's demonstrations that the ptx term
   * adds to each step (absent with {@code ptxCoef} 0).
   */
  public static final String PTX_LOSS = "ptx_loss";

  /** PPO: mean reward of the step's rollouts. */
  public static final String REWARD_MEAN = "reward_mean";

  /** PPO: mean score of the step's rollouts under the reward model's independent check model. */
  public static final String CHECK_REWARD_MEAN = "check_reward_mean";

  /**
   * PPO: mean KL of the policy to the reference over the step's responses; DPO: the same over the
   * policy's own answers to held-out prompts, sampled at each validation.
   */
  public static final String KL = "kl";

  /** DPO: mean implicit reward of the chosen minus the rejected response, latest batch. */
  public static final String REWARD_MARGIN = "reward_margin";

  /** DPO: the implicit reward margin on the held-out pairs. */
  public static final String HELDOUT_REWARD_MARGIN = "heldout_reward_margin";

  /** DPO: mean log-probability of the chosen responses under the policy, latest batch. */
  public static final String LOGP_CHOSEN = "logp_chosen";

  /** DPO: mean log-probability of the rejected responses under the policy, latest batch. */
  public static final String LOGP_REJECTED = "logp_rejected";

  /** DPO: mean log-probability of the held-out chosen responses under the policy. */
  public static final String HELDOUT_LOGP_CHOSEN = "heldout_logp_chosen";

  /** DPO: mean log-probability of the held-out rejected responses under the policy. */
  public static final String HELDOUT_LOGP_REJECTED = "heldout_logp_rejected";

  /**
   * DPO: 1 when the held-out chosen responses have become less likely than under the reference by
   * more than the run allows (a known DPO failure: both sides fall and the policy drifts to text
   * nobody labelled), else 0.
   */
  public static final String CHOSEN_LOGP_FALLING = "chosen_logp_falling";

  private TrainingMetrics() {}
}
