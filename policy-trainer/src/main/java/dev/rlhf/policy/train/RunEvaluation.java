package dev.rlhf.policy.train;

import ai.djl.Device;
import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.eval.PolicyEvaluator;
import dev.rlhf.policy.ppo.RewardFunction;
import dev.rlhf.policy.ppo.RewardSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run's version is evaluated against its parent before it is published: on the project's
 * held-out prompts, or else the snapshot's; judged by the stage's own independent check model (PPO)
 * or the project's newest reward model's (SFT, DPO); without a judge, by the held-out loss.
 */
final class RunEvaluation {

  /** One seed for every evaluation, so versions of one lineage answer alike where they agree. */
  private static final long EVALUATION_SEED = 1;

  /** A version whose answers shrink below this share of its parent's fails its evaluation. */
  private static final double EVALUATION_MIN_LENGTH_RATIO = 0.6;

  /** A PPO or DPO version further than this (nats per answer) from its parent fails. */
  private static final double EVALUATION_MAX_KL = 10;

  private static final Logger LOG = LoggerFactory.getLogger(RunEvaluation.class);

  private final RunRequest request;

  RunEvaluation(RunRequest request) {
    this.request = request;
  }

  /**
   * @param snapshotHeldOut the snapshot's held-out prompts, used without a project evaluation set
   * @param judge scores answers independently of the training, or null
   * @param fallback without a judge: why the version passes or fails, or null to require an
   *     override
   * @param rl whether the stage optimises preferences (PPO, DPO): its KL to the parent is checked
   */
  PolicyEvaluation evaluate(
      LanguageModel version,
      LanguageModel parent,
      String parentVersion,
      List<List<Turn>> snapshotHeldOut,
      RewardFunction judge,
      String judgedBy,
      PolicyEvaluator.Verdict fallback,
      boolean rl) {
    boolean projectSet = !request.evaluationPrompts().isEmpty();
    return new PolicyEvaluator(
            new PolicyEvaluator.Criteria(
                request.config().ppo().maxNewTokens(),
                EVALUATION_SEED,
                EVALUATION_MIN_LENGTH_RATIO,
                EVALUATION_MAX_KL))
        .evaluate(
            version,
            parent,
            parentVersion,
            projectSet ? request.evaluationPrompts() : snapshotHeldOut,
            projectSet,
            judge,
            judgedBy,
            fallback,
            rl);
  }

  /**
   * Evaluates the version of a stage that has no reward model of its own (SFT, DPO): judged by the
   * check model of the project's newest reward model when there is one, else by {@code fallback}.
   */
  PolicyEvaluation byProjectJudge(
      RewardSource rewards,
      Device device,
      LanguageModel version,
      LanguageModel parent,
      String parentVersion,
      List<List<Turn>> snapshotHeldOut,
      PolicyEvaluator.Verdict fallback,
      boolean rl) {
    try (RewardFunction judge = projectJudge(rewards, device)) {
      return evaluate(
          version,
          parent,
          parentVersion,
          snapshotHeldOut,
          judge,
          request.evaluationRewardVersion(),
          fallback,
          rl);
    }
  }

  /** The check model of the project's newest reward model (SFT, DPO), if any. */
  private RewardFunction projectJudge(RewardSource rewards, Device device) {
    String version = request.evaluationRewardVersion();
    if (version == null || version.isBlank()) return null;
    try {
      RewardFunction check = rewards.openCheck(version, device);
      return check != null ? check : rewards.open(version, device);
    } catch (RuntimeException e) {
      LOG.warn("cannot open {} to judge the evaluation: {}", version, e.getMessage());
      return null;
    }
  }

  /**
   * Without a judge, an SFT version passes when it lowered its loss on held-out demonstrations:
   * imitating more of the labelers' own answers is what SFT is for.
   */
  static PolicyEvaluator.Verdict lossVerdict(String loss, Double before, Double after) {
    if (before == null || after == null || before.isNaN() || after.isNaN()) return null;
    return new PolicyEvaluator.Verdict(
        after < before,
        String.format(
            "no reward model to judge the answers yet; %s went from %.3f to %.3f",
            loss, before, after));
  }

  /**
   * Without a judge, a DPO version does not pass: a lower DPO loss on held-out pairs says the
   * policy ranks the labelled texts better, not that what it writes improved (the alignment
   * benchmark measured DPO versions that lowered it while losing to their parent under the
   * labelers' own judge), so promoting one needs a reason.
   */
  static PolicyEvaluator.Verdict preferenceLossVerdict(Double before, Double after) {
    if (before == null || after == null || before.isNaN() || after.isNaN()) return null;
    return new PolicyEvaluator.Verdict(
        false,
        String.format(
            "no reward model the gate trusts can judge the answers; the DPO loss on held-out pairs"
                + " went from %.3f to %.3f, which does not show the answers improved: promoting"
                + " this version needs a reason",
            before, after));
  }
}
