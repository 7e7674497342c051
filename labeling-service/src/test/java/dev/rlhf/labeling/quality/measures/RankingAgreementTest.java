package dev.rlhf.labeling.quality.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingAgreementTest {

  /** Items in order, each with the given rank. */
  static Map<String, Integer> ranks(Object... itemRank) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < itemRank.length; i += 2)
      m.put((String) itemRank[i], (Integer) itemRank[i + 1]);
    return m;
  }

  @Test
  void shouldCountTheShareOfPairsOrderedAlike() {
    // a>b>c against b>a>c: (a,b) differs, (a,c) and (b,c) agree.
    var first = ranks("a", 1, "b", 2, "c", 3);
    var second = ranks("a", 2, "b", 1, "c", 3);

    assertThat(RankingAgreement.pairwise(first, second).getAsDouble()).isEqualTo(2.0 / 3);
    assertThat(RankingAgreement.pairwise(first, first).getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void shouldCountTwoTiesAsAgreementAndATieAgainstAnOrderAsNot() {
    var tied = ranks("a", 1, "b", 1);
    assertThat(RankingAgreement.pairwise(tied, ranks("a", 1, "b", 1)).getAsDouble()).isEqualTo(1);
    assertThat(RankingAgreement.pairwise(tied, ranks("a", 1, "b", 2)).getAsDouble()).isEqualTo(0);
  }

  /**
   * Four items, a>b>c>d against b>a>d>c: of 6 pairs, (a,b) and (c,d) are discordant, 4 concordant,
   * no ties: tau = (4 - 2) / 6 = 1/3.
   */
  @Test
  void shouldGiveKendallsTauOfAHandComputedCase() {
    var first = ranks("a", 1, "b", 2, "c", 3, "d", 4);
    var second = ranks("a", 2, "b", 1, "c", 4, "d", 3);

    assertThat(RankingAgreement.kendallTau(first, second).getAsDouble())
        .isCloseTo(1.0 / 3, within(1e-12));
    assertThat(RankingAgreement.kendallTau(first, first).getAsDouble()).isEqualTo(1.0);
    assertThat(
            RankingAgreement.kendallTau(first, ranks("a", 4, "b", 3, "c", 2, "d", 1)).getAsDouble())
        .isEqualTo(-1.0);
  }

  /**
   * tau-b with a tie: a>b>c against a=b>c. Pairs: (a,b) tied in the second only (Tb = 1), (a,c) and
   * (b,c) concordant (C = 2). tau-b = 2 / sqrt((2 + 0 + 0) (2 + 0 + 1)) = 2 / sqrt(6).
   */
  @Test
  void shouldCorrectKendallsTauForTies() {
    var first = ranks("a", 1, "b", 2, "c", 3);
    var second = ranks("a", 1, "b", 1, "c", 2);

    assertThat(RankingAgreement.kendallTau(first, second).getAsDouble())
        .isCloseTo(2 / Math.sqrt(6), within(1e-12));
  }

  @Test
  void shouldCompareOnlySharedItemsAndBeUndefinedWithoutTwo() {
    var first = ranks("a", 1, "b", 2, "x", 3);
    var second = ranks("b", 1, "a", 2, "y", 3);

    assertThat(RankingAgreement.pairwise(first, second).getAsDouble()).isEqualTo(0);
    assertThat(RankingAgreement.pairwise(ranks("a", 1), ranks("a", 1))).isEmpty();
    assertThat(RankingAgreement.kendallTau(ranks("a", 1, "b", 1), ranks("a", 1, "b", 1))).isEmpty();
  }

  @Test
  void shouldCountRequiredPairsAGoldAnswerMeets() {
    var ranking = ranks("a", 1, "b", 2, "c", 2);

    assertThat(RankingAgreement.requiredPairsMet(ranking, List.of(List.of("a", "b")))).isEqualTo(1);
    assertThat(RankingAgreement.requiredPairsMet(ranking, List.of(List.of("b", "c")))).isZero();
    assertThat(RankingAgreement.pairsOf(ranks("a", 2, "b", 1, "c", 2)))
        .containsExactly(List.of("b", "a"), List.of("b", "c"));
  }
}
