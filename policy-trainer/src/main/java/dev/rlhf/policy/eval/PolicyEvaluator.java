package dev.rlhf.policy.eval;

import dev.rlhf.events.contract.PolicyEvaluation;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.ppo.RewardFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Judges a trained policy against its parent on held-out prompts before it is published: both
 * answer every prompt (sampled at temperature 1, one seed), an independent reward model scores the
 * answers where there is one, and the KL to the parent and the answers' lengths show a collapse.
 * The verdict is what promotion checks; a researcher may still promote with a reason.
 */
public final class PolicyEvaluator {

  /** Samples shown side by side with the verdict. */
  static final int SAMPLES = 6;

  /**
   * What passing takes.
   *
   * @param minLengthRatio answers at least this share of the parent's length
   * @param maxKl RL stages only: mean KL to the parent at most this many nats; SFT is exempt (it is
   *     meant to move far from a base)
   */
  public record Criteria(int maxNewTokens, long seed, double minLengthRatio, double maxKl) {}

  private final Criteria criteria;

  public PolicyEvaluator(Criteria criteria) {
    this.criteria = criteria;
  }

  /**
   * @param judge scores answers independently of the training reward, or null when none is at hand
   * @param judgedBy the judge's name for the record
   * @param fallbackVerdict without a judge: why the version passes or fails (SFT: its validation
   *     loss), or null to require an override
   * @param rl whether the version came from reinforcement learning (PPO, DPO): KL is then checked
   */
  public PolicyEvaluation evaluate(
      LanguageModel version,
      LanguageModel parent,
      String parentVersion,
      List<List<Turn>> prompts,
      boolean heldOut,
      RewardFunction judge,
      String judgedBy,
      Verdict fallbackVerdict,
      boolean rl) {
    if (prompts.isEmpty()) {
      return new PolicyEvaluation(
          parentVersion,
          null,
          0,
          heldOut,
          0,
          0,
          0,
          null,
          null,
          0,
          0,
          0,
          false,
          List.of("no held-out prompts to evaluate on: promotion needs an override"),
          List.of());
    }
    List<int[]> encoded = SampledAnswers.encode(version, prompts);
    List<Completion> answers =
        SampledAnswers.sample(version, encoded, criteria.maxNewTokens(), criteria.seed());
    List<Completion> parentAnswers =
        SampledAnswers.sample(parent, encoded, criteria.maxNewTokens(), criteria.seed());
    double kl = SampledAnswers.meanKl(version, parent, encoded, answers);
    double length = meanLength(answers);
    double parentLength = meanLength(parentAnswers);
    double[] scores = judge == null ? null : judge.score(prompts, texts(answers));
    double[] parentScores = judge == null ? null : judge.score(prompts, texts(parentAnswers));
    int wins = 0, ties = 0, losses = 0;
    if (scores != null) {
      for (int i = 0; i < scores.length; i++) {
        double d = scores[i] - parentScores[i];
        if (Math.abs(d) < 1e-6) ties++;
        else if (d > 0) wins++;
        else losses++;
      }
    }
    List<String> reasons = new ArrayList<>();
    boolean passed = true;
    if (length < criteria.minLengthRatio() * parentLength) {
      passed = false;
      reasons.add(
          String.format(
              "answers collapsed: %.1f tokens on average against the parent's %.1f",
              length, parentLength));
    }
    if (rl && kl > criteria.maxKl()) {
      passed = false;
      reasons.add(String.format("KL to the parent %.2f nats, over %.1f", kl, criteria.maxKl()));
    }
    if (scores != null) {
      boolean better = wins >= losses;
      passed &= better;
      reasons.add(
          String.format(
              "%s its parent under %s: %d wins, %d ties, %d losses on %d held-out prompts",
              better ? "holds against" : "loses to", judgedBy, wins, ties, losses, prompts.size()));
    } else if (fallbackVerdict != null) {
      passed &= fallbackVerdict.passed();
      reasons.add(fallbackVerdict.reason());
    } else {
      passed = false;
      reasons.add("no independent reward model to judge the answers: promotion needs an override");
    }
    if (passed && reasons.stream().noneMatch(r -> r.startsWith("holds"))) {
      reasons.add(
          0,
          String.format(
              "answers %.1f tokens long against the parent's %.1f", length, parentLength));
    }
    List<PolicyEvaluation.Sample> samples = new ArrayList<>();
    for (int i = 0; i < Math.min(SAMPLES, prompts.size()); i++) {
      samples.add(
          new PolicyEvaluation.Sample(
              prompts.get(i).get(prompts.get(i).size() - 1).text(),
              answers.get(i).text(),
              parentAnswers.get(i).text(),
              scores == null ? null : scores[i],
              parentScores == null ? null : parentScores[i]));
    }
    return new PolicyEvaluation(
        parentVersion,
        judge == null ? null : judgedBy,
        prompts.size(),
        heldOut,
        wins,
        ties,
        losses,
        scores == null ? null : mean(scores),
        parentScores == null ? null : mean(parentScores),
        kl,
        length,
        parentLength,
        passed,
        reasons,
        samples);
  }

  /** A verdict reached without a judge. */
  public record Verdict(boolean passed, String reason) {}

  private static double meanLength(List<Completion> answers) {
    return answers.stream().mapToInt(c -> c.tokens().length).average().orElse(0);
  }

  private static List<String> texts(List<Completion> answers) {
    return answers.stream().map(Completion::text).toList();
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(0);
  }
}
