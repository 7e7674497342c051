package dev.rlhf.labeling.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * How much the rankings of a contractor count in consensus, from their gold accuracy and their
 * pairwise agreement with peers <em>and how much evidence each figure rests on</em>.
 *
 * <p><b>Flag only on evidence.</b> A figure is a share (of gold pairs met, of completion pairs
 * ordered alike) over some number of units: gold answers for gold accuracy, comparisons with a peer
 * for agreement. A contractor is under a threshold only when the figure is <em>confidently</em>
 * under it: when the upper end of its one-sided Wilson score interval at {@code confidence} is
 * below the threshold. Each unit gives a value in [0, 1] whose variance is at most p(1 - p), so
 * treating the units as Bernoulli trials gives an interval at least as wide as the figure's own
 * (conservative towards the contractor). The unit is the answer, not the pair: the pairs of one
 * ranking come from one act of judgement (one misread prompt moves them together), so three gold
 * answers of six pairs each are about three observations, not eighteen. With these counts, two or
 * three gold answers can flag a contractor only when they miss nearly everything (two answers at 0
 * have an upper bound of 0.58 at 95%), while a hundred comparisons pin agreement within about 0.08.
 * A figure without data is not held against anyone.
 *
 * <p><b>Grade by how far under.</b> The weight of a flagged contractor under {@link
 * BelowThreshold#DOWN_WEIGHT} is {@code downWeight} times the share of the threshold's skill above
 * chance that the contractor can still have: (upper - 1/2) / (threshold - 1/2), clamped to [0, 1],
 * the smallest over the flagged figures. Chance is 1/2 for both figures: a random strict order
 * meets a required gold pair half the time, and agrees with a peer's strict order on half the pairs
 * (less when the peer ties, since a tie against an order counts as disagreement). In the optimal
 * weighted vote of independent voters (Nitzan and Paroush 1982, the weight behind Dawid-Skene
 * aggregation) a voter right with probability q weighs log(q / (1 - q)): zero at chance and rising
 * with the skill above it; and agreement with peers of accuracy q_p is 1/2 + 2 (q - 1/2) (q_p -
 * 1/2), linear in a contractor's skill above chance, so the same share means the same for both
 * figures. A contractor who at best agrees with peers at chance weighs 0 (their votes carry no
 * information); one barely and confidently under keeps nearly {@code downWeight}. The upper bound,
 * not the point estimate, sets the grade, so the weight is the largest the evidence allows. A
 * threshold at or below chance grades every flag to 0. Under {@link BelowThreshold#EXCLUDE} a
 * flagged contractor weighs 0.
 *
 * @param minGoldAccuracy null: gold accuracy is not checked
 * @param minAgreement null: agreement is not checked
 * @param downWeight the most a contractor under {@link BelowThreshold#DOWN_WEIGHT} weighs, in (0,
 *     1]
 * @param confidence one-sided confidence that a flagged figure is under its threshold, in [0.5, 1);
 *     0.5 flags on the figure itself, as if every figure rested on unlimited evidence
 */
public record TrustRule(
    Double minGoldAccuracy,
    Double minAgreement,
    BelowThreshold belowThreshold,
    double downWeight,
    double confidence) {

  /** What a random strict order scores on either figure. */
  static final double CHANCE = 0.5;

  public TrustRule {
    if (!(confidence >= 0.5 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be at least 0.5 and below 1");
    }
  }

  /** What happens to a contractor under a threshold. */
  public enum BelowThreshold {
    /** Their rankings are left out of consensus. */
    EXCLUDE,
    /** Their rankings count with at most {@code downWeight}, graded by how far under they are. */
    DOWN_WEIGHT
  }

  /**
   * One figure and how many units it rests on.
   *
   * @param value the share, null without data
   * @param units gold answers, or comparisons with peers
   */
  public record Evidence(Double value, int units) {

    public static final Evidence NONE = new Evidence(null, 0);

    boolean known() {
      return value != null && units > 0;
    }
  }

  public static TrustRule of(QualitySettings settings) {
    return new TrustRule(
        settings.minGoldAccuracy().orElse(null),
        settings.minAgreement().orElse(null),
        settings.belowThreshold(),
        settings.downWeight(),
        settings.confidence());
  }

  /** Whether no figure is confidently under its threshold. */
  public boolean passes(Evidence gold, Evidence agreement) {
    return grade(gold, agreement) == 1;
  }

  /**
   * The figures confidently under their thresholds, by their names in the quality table ({@code
   * goldAccuracy}, {@code pairwiseAgreement}); empty when the contractor passes.
   */
  public List<String> flagged(Evidence gold, Evidence agreement) {
    List<String> out = new ArrayList<>();
    if (grade(gold, minGoldAccuracy) < 1) out.add("goldAccuracy");
    if (grade(agreement, minAgreement) < 1) out.add("pairwiseAgreement");
    return out;
  }

  /** The contractor's weight in consensus. */
  public double weight(Evidence gold, Evidence agreement) {
    double grade = grade(gold, agreement);
    if (grade == 1) return 1;
    return belowThreshold == BelowThreshold.EXCLUDE ? 0 : downWeight * grade;
  }

  /**
   * The upper end of the one-sided Wilson score interval of a share observed over {@code units}
   * trials at {@code confidence}.
   */
  public double upperBound(Evidence figure) {
    double z = z(confidence);
    double n = figure.units();
    double p = figure.value();
    double z2 = z * z;
    double centre = p + z2 / (2 * n);
    double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return Math.min(1, (centre + spread) / (1 + z2 / n));
  }

  /** 1 when every figure passes; else the smallest graded share of a flagged figure, in [0, 1). */
  private double grade(Evidence gold, Evidence agreement) {
    return Math.min(grade(gold, minGoldAccuracy), grade(agreement, minAgreement));
  }

  private double grade(Evidence figure, Double threshold) {
    if (threshold == null || !figure.known()) return 1;
    double upper = upperBound(figure);
    if (upper >= threshold) return 1;
    if (threshold <= CHANCE) return 0;
    return Math.max(0, Math.min(1, (upper - CHANCE) / (threshold - CHANCE)));
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
  static double z(double p) {
    if (p == 0.5) return 0;
    double q;
    double r;
    if (p < 0.02425) {
      q = Math.sqrt(-2 * Math.log(p));
      return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
    if (p > 1 - 0.02425) return -z(1 - p);
    q = p - 0.5;
    r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
        * q
        / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }

  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01,
    1.615858368580409e+02,
    -1.556989798598866e+02,
    6.680131188771972e+01,
    -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };
}
