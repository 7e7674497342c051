package dev.rlhf.labeling.quality;

/**
 * How much the rankings of a contractor count in consensus: 1, or less when their gold accuracy or
 * their agreement with peers is below a threshold. A measure the contractor has no data for yet (no
 * gold answer, no task shared with a peer) is not held against them.
 *
 * @param minGoldAccuracy null: gold accuracy is not checked
 * @param minAgreement null: agreement is not checked
 * @param downWeight the weight under {@link BelowThreshold#DOWN_WEIGHT}, in (0, 1]
 */
public record TrustRule(
    Double minGoldAccuracy, Double minAgreement, BelowThreshold belowThreshold, double downWeight) {

  /** What happens to a contractor under a threshold. */
  public enum BelowThreshold {
    /** Their rankings are left out of consensus. */
    EXCLUDE,
    /** Their rankings count with {@code downWeight}. */
    DOWN_WEIGHT
  }

  public static TrustRule of(QualitySettings settings) {
    return new TrustRule(
        settings.minGoldAccuracy().orElse(null),
        settings.minAgreement().orElse(null),
        settings.belowThreshold(),
        settings.downWeight());
  }

  /** Whether the figures pass every threshold. */
  public boolean passes(Double goldAccuracy, Double agreement) {
    boolean goldOk =
        minGoldAccuracy == null || goldAccuracy == null || goldAccuracy >= minGoldAccuracy;
    boolean agreementOk = minAgreement == null || agreement == null || agreement >= minAgreement;
    return goldOk && agreementOk;
  }

  /** The contractor's weight in consensus. */
  public double weight(Double goldAccuracy, Double agreement) {
    if (passes(goldAccuracy, agreement)) return 1;
    return belowThreshold == BelowThreshold.EXCLUDE ? 0 : downWeight;
  }
}
