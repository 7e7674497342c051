package dev.rlhf.labeling.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rlhf.labeling.quality.TrustRule.BelowThreshold;
import dev.rlhf.labeling.quality.TrustRule.Evidence;
import org.junit.jupiter.api.Test;

/** The trust rule weighs each figure by the gold answers or comparisons it rests on. */
class TrustRuleTest {

  /** The defaults of rlhf.quality.* (application.properties). */
  private final TrustRule rule = new TrustRule(0.7, 0.6, BelowThreshold.DOWN_WEIGHT, 0.25, 0.95);

  private static Evidence gold(double accuracy, int answers) {
    return new Evidence(accuracy, answers);
  }

  private static Evidence agreement(double share, int comparisons) {
    return new Evidence(share, comparisons);
  }

  @Test
  void shouldUseTheStandardNormalQuantile() {
    assertThat(TrustRule.z(0.95)).isCloseTo(1.6448536269514715, within(1e-8));
    assertThat(TrustRule.z(0.975)).isCloseTo(1.9599639845400536, within(1e-8));
    assertThat(TrustRule.z(0.999)).isCloseTo(3.090232306167813, within(1e-8));
    assertThat(TrustRule.z(0.01)).isCloseTo(-2.3263478740408408, within(1e-8));
    assertThat(TrustRule.z(0.5)).isZero();
  }

  @Test
  void shouldBoundAShareByTheWilsonScoreInterval() {
    // Worked with Python's statistics.NormalDist: (p + z²/2n + z sqrt(p(1-p)/n + z²/4n²)) / (1 +
    // z²/n).
    assertThat(rule.upperBound(agreement(0.5, 100))).isCloseTo(0.58115, within(1e-5));
    assertThat(rule.upperBound(agreement(0.35, 100))).isCloseTo(0.43147, within(1e-5));
    assertThat(rule.upperBound(gold(0, 2))).isCloseTo(0.57497, within(1e-5));
    assertThat(rule.upperBound(gold(1, 3))).isEqualTo(1.0);
  }

  @Test
  void shouldNotFlagACarefulLabelerWhoseFewGoldAnswersFellShort() {
    // 0.56 of the gold pairs over two answers: the upper bound is 0.90, far above 0.7.
    Evidence thinGold = gold(0.56, 2);
    Evidence peers = agreement(0.89, 100);

    assertThat(rule.passes(thinGold, peers)).isTrue();
    assertThat(rule.weight(thinGold, peers)).isEqualTo(1.0);
    assertThat(rule.flagged(thinGold, peers)).isEmpty();
  }

  @Test
  void shouldFlagTheSameShortfallOnceEnoughGoldAnswersShowIt() {
    assertThat(rule.passes(gold(0.5, 2), Evidence.NONE)).isTrue();
    assertThat(rule.passes(gold(0.5, 40), Evidence.NONE)).isFalse();
    assertThat(rule.flagged(gold(0.5, 40), Evidence.NONE)).containsExactly("goldAccuracy");
  }

  @Test
  void shouldGiveARandomClickerNothingAndOneBarelyUnderNearlyTheDownWeight() {
    // Random orders agree with peers on ~0.35 of the pairs: at best 0.43 over 100 comparisons,
    // no skill above chance.
    Evidence random = agreement(0.35, 100);
    assertThat(rule.flagged(gold(0.9, 3), random)).containsExactly("pairwiseAgreement");
    assertThat(rule.weight(gold(0.9, 3), random)).isZero();
    // Gold 0.65 over 400 answers: at best 0.69, (0.69 - 0.5) / (0.7 - 0.5) of the skill asked.
    Evidence barelyUnder = gold(0.65, 400);
    double upper = rule.upperBound(barelyUnder);
    assertThat(upper).isLessThan(0.7);
    assertThat(rule.weight(barelyUnder, agreement(0.9, 100)))
        .isCloseTo(0.25 * (upper - 0.5) / 0.2, within(1e-12))
        .isGreaterThan(0.2);
  }

  @Test
  void shouldLowerTheWeightTheFurtherUnderAndKeepItWithinZeroAndTheDownWeight() {
    double previous = 1;
    int flagged = 0;
    for (double accuracy = 0.75; accuracy >= 0; accuracy -= 0.01) {
      double w = rule.weight(gold(accuracy, 500), Evidence.NONE);
      assertThat(w).as("gold %.2f", accuracy).isLessThanOrEqualTo(previous);
      if (w < 1) {
        flagged++;
        assertThat(w).as("gold %.2f", accuracy).isBetween(0.0, 0.25);
      }
      previous = w;
    }
    assertThat(flagged).as("0.67 and below, over 500 answers").isGreaterThan(60);
    assertThat(previous).isZero();
  }

  @Test
  void shouldTakeTheWorseOfTwoFlaggedFigures() {
    Evidence gold = gold(0.6, 300);
    Evidence agreement = agreement(0.55, 300);
    double byGold = rule.weight(gold, Evidence.NONE);
    double byAgreement = rule.weight(Evidence.NONE, agreement);

    assertThat(rule.weight(gold, agreement)).isEqualTo(Math.min(byGold, byAgreement));
    assertThat(rule.flagged(gold, agreement)).containsExactly("goldAccuracy", "pairwiseAgreement");
  }

  @Test
  void shouldGradeEveryFlagToZeroWhenTheThresholdIsAtChance() {
    TrustRule atChance = new TrustRule(null, 0.5, BelowThreshold.DOWN_WEIGHT, 0.25, 0.95);

    assertThat(atChance.weight(Evidence.NONE, agreement(0.45, 2_000))).isZero();
    assertThat(atChance.weight(Evidence.NONE, agreement(0.45, 100))).as("not sure").isEqualTo(1);
  }

  @Test
  void shouldExcludeAFlaggedContractorUnderExclude() {
    TrustRule exclude = new TrustRule(0.7, 0.6, BelowThreshold.EXCLUDE, 0.25, 0.95);

    assertThat(exclude.weight(gold(0.65, 400), Evidence.NONE)).isZero();
    assertThat(exclude.weight(gold(0.56, 2), Evidence.NONE)).isEqualTo(1);
  }

  @Test
  void shouldFlagOnTheFigureAloneAtConfidenceOneHalf() {
    TrustRule figureAlone = new TrustRule(0.7, 0.6, BelowThreshold.DOWN_WEIGHT, 0.25, 0.5);

    assertThat(figureAlone.passes(gold(0.69, 1), Evidence.NONE)).isFalse();
    assertThat(figureAlone.weight(gold(0.6, 1), Evidence.NONE)).isCloseTo(0.125, within(1e-12));
    assertThat(figureAlone.passes(gold(0.7, 1), Evidence.NONE)).isTrue();
  }

  @Test
  void shouldNotHoldMissingFiguresOrUncheckedOnesAgainstAContractor() {
    assertThat(rule.weight(Evidence.NONE, Evidence.NONE)).isEqualTo(1.0);
    assertThat(rule.weight(new Evidence(0.0, 0), Evidence.NONE)).isEqualTo(1.0);
    TrustRule goldOnly = new TrustRule(0.7, null, BelowThreshold.DOWN_WEIGHT, 0.25, 0.95);
    assertThat(goldOnly.weight(gold(0.9, 5), agreement(0.0, 1_000))).isEqualTo(1.0);
  }

  @Test
  void shouldRefuseAConfidenceOutsideOneHalfToOne() {
    assertThatThrownBy(() -> new TrustRule(0.7, 0.6, BelowThreshold.EXCLUDE, 0.25, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrustRule(0.7, 0.6, BelowThreshold.EXCLUDE, 0.25, 0.4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
