package dev.rlhf.labeling.selection;

import java.util.List;

/**
 * How unsure the reward models are about a ranking task: the mean, over every pair (i, j) of its
 * completions, of 4 p (1 - p), where p is the probability that i is preferred to j, averaged over
 * the models that scored them (the reward model, and its check model where it has one): p = mean_m
 * sigmoid(r_m(i) - r_m(j)). 1 when no model can tell any pair apart, near 0 when every model is
 * sure of every pair.
 *
 * <p>Why this measure. A reward model is trained as a Bradley-Terry model, so sigmoid of a score
 * difference is its probability of the preference, and p (1 - p) is both the variance of the label
 * a contractor will give the pair as the model sees it and the Fisher information that label adds
 * about the pair's score difference: largest (1/4) where the model cannot tell the two apart, small
 * where it is already sure. A ranking of K labels all K (K - 1) / 2 pairs at once, so the mean over
 * pairs is what one ranking is expected to teach the model. Averaging p over the two models (a
 * committee of two) makes a pair on which each model is sure but they disagree count as uncertain
 * too (p near 1/2), which the "where the current reward models disagree" asks for.
 *
 * <p>The smallest margin (best minus second score) was not taken: it looks at one pair of the
 * ranking and ignores the rest, and it is in the reward model's raw score units, which differ from
 * one reward model to the next. The factor 4 puts the measure on 0..1, the scale of {@link
 * CompletionDiversity}, so a queue that holds tasks scored before the project's first reward model
 * (by diversity) and after it orders both on one scale.
 */
public final class RewardUncertainty {

  private RewardUncertainty() {}

  /**
   * The uncertainty of the models over the completions' pairs; 0 for fewer than two completions.
   *
   * @param reward the reward model's score of each completion
   * @param check the check model's scores in the same order, or empty when it has none
   */
  public static double of(List<Double> reward, List<Double> check) {
    if (!check.isEmpty() && check.size() != reward.size()) {
      throw new IllegalArgumentException("one check score per completion, or none");
    }
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < reward.size(); i++) {
      for (int j = i + 1; j < reward.size(); j++) {
        double p = sigmoid(reward.get(i) - reward.get(j));
        if (!check.isEmpty()) p = (p + sigmoid(check.get(i) - check.get(j))) / 2;
        sum += 4 * p * (1 - p);
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
