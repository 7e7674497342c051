package dev.rlhf.policy.ppo;

/**
 * The policy moved further from the reference than the hard limit allows: the signature of reward
 * hacking (the policy exploiting the reward model's blind spots). The run stops unpublished.
 */
public final class KlLimitExceededException extends RuntimeException {
  public KlLimitExceededException(int step, double kl, double limit) {
    super(
        String.format(
            "KL to the reference %.3f exceeded the hard limit %.3f at PPO step %d: stopped as"
                + " possible reward hacking",
            kl, limit, step));
  }
}
