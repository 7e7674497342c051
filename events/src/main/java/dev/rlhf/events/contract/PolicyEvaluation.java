package dev.rlhf.events.contract;

import java.util.List;

/**
 * A policy version judged against its parent on held-out prompts before anyone promotes it: both
 * answer the same prompts (sampled at temperature 1 with one seed), the reward model's independent
 * check model scores the answers where the version's lineage has one, and the KL, the lengths and a
 * few answers side by side say what changed. The blind arena remains the human check.
 *
 * @param parentVersion what it is compared with
 * @param judgedBy the reward model whose check model scored the answers; null when none was at hand
 * @param prompts held-out prompts answered
 * @param heldOut whether the prompts are the project's evaluation set (false: prompts of the run's
 *     own data that training did not use)
 * @param wins answers scored above the parent's (0 without a judge)
 * @param rewardMean mean score of the version's answers (null without a judge)
 * @param kl mean KL(version || parent) over its answers, summed over each answer's tokens
 * @param responseLength mean answer length in tokens
 * @param passed whether the version may be promoted without an override
 * @param reasons why it passed or failed, one line each
 */
public record PolicyEvaluation(
    String parentVersion,
    String judgedBy,
    int prompts,
    boolean heldOut,
    int wins,
    int ties,
    int losses,
    Double rewardMean,
    Double parentRewardMean,
    double kl,
    double responseLength,
    double parentResponseLength,
    boolean passed,
    List<String> reasons,
    List<Sample> samples) {

  public PolicyEvaluation {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    samples = samples == null ? List.of() : List.copyOf(samples);
  }

  /** The same evaluation, not passing, with {@code reason} added to its reasons. */
  public PolicyEvaluation notPassing(String reason) {
    List<String> more = new java.util.ArrayList<>(reasons);
    more.add(reason);
    return new PolicyEvaluation(
        parentVersion,
        judgedBy,
        prompts,
        heldOut,
        wins,
        ties,
        losses,
        rewardMean,
        parentRewardMean,
        kl,
        responseLength,
        parentResponseLength,
        false,
        more,
        samples);
  }

  /** One held-out prompt with both answers and their scores (null without a judge). */
  public record Sample(
      String prompt, String answer, String parentAnswer, Double reward, Double parentReward) {}
}
