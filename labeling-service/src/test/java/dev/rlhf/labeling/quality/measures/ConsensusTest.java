package dev.rlhf.labeling.quality.measures;

import static dev.rlhf.labeling.quality.measures.RankingAgreementTest.ranks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rlhf.labeling.quality.measures.Consensus.Pair;
import dev.rlhf.labeling.quality.measures.Consensus.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsensusTest {

  private static Vote<String> vote(double weight, Object... itemRank) {
    return new Vote<>(ranks(itemRank), weight);
  }

  private static Pair<String> pair(List<Pair<String>> pairs, String chosen, String rejected) {
    return pairs.stream()
        .filter(p -> p.chosen().equals(chosen) && p.rejected().equals(rejected))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no pair " + chosen + " > " + rejected + ": " + pairs));
  }

  /** Two rankers say a > b > c, one says b > a > c. */
  private static final List<Vote<String>> TWO_AGAINST_ONE =
      List.of(
          vote(1, "a", 1, "b", 2, "c", 3),
          vote(1, "a", 1, "b", 2, "c", 3),
          vote(1, "a", 2, "b", 1, "c", 3));

  @Test
  void majorityShouldGiveTheAgreedPairWithConfidenceTwoThirds() {
    List<Pair<String>> pairs = Consensus.of(ConsensusMethod.MAJORITY, TWO_AGAINST_ONE);

    assertThat(pairs).hasSize(3);
    assertThat(pair(pairs, "a", "b").confidence()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(pair(pairs, "a", "b").weight()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(pair(pairs, "a", "c").confidence()).isEqualTo(1.0);
    assertThat(pair(pairs, "b", "c").confidence()).isEqualTo(1.0);
  }

  @Test
  void majorityShouldGiveNoPairForAnEvenSplit() {
    List<Pair<String>> pairs =
        Consensus.of(
            ConsensusMethod.MAJORITY, List.of(vote(1, "a", 1, "b", 2), vote(1, "a", 2, "b", 1)));

    assertThat(pairs).isEmpty();
  }

  @Test
  void aDownWeightedRankerShouldCountLessAndAnExcludedOneNotAtAll() {
    // One trusted ranker (1.0) says b > a; two at half trust say a > b: 1.0 against 1.0, no pair.
    List<Vote<String>> votes =
        List.of(vote(1, "a", 2, "b", 1), vote(0.5, "a", 1, "b", 2), vote(0.5, "a", 1, "b", 2));
    assertThat(Consensus.of(ConsensusMethod.MAJORITY, votes)).isEmpty();

    // Excluded (weight 0) rankers vanish: the trusted one alone decides, with full confidence.
    List<Vote<String>> excluded =
        List.of(vote(1, "a", 2, "b", 1), vote(0, "a", 1, "b", 2), vote(0, "a", 1, "b", 2));
    assertThat(Consensus.of(ConsensusMethod.MAJORITY, excluded))
        .containsExactly(new Pair<>("b", "a", 1.0, 1.0));

    // A single half-trusted ranker: confidence 1, weight 1/2.
    assertThat(Consensus.of(ConsensusMethod.MAJORITY, List.of(vote(0.5, "a", 1, "b", 2))))
        .containsExactly(new Pair<>("a", "b", 1.0, 0.5));
  }

  @Test
  void tiesShouldCountHalfForEachSide() {
    // a > b, a = b, a = b: support for a 1 + 0.5 + 0.5 = 2 of 3.
    List<Pair<String>> pairs =
        Consensus.of(
            ConsensusMethod.MAJORITY,
            List.of(vote(1, "a", 1, "b", 2), vote(1, "a", 1, "b", 1), vote(1, "a", 1, "b", 1)));

    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).confidence()).isCloseTo(2.0 / 3, within(1e-12));
  }

  /**
   * Borda: scores over the three rankings a: 2+2+1 = 5, b: 1+1+2 = 4, c: 0. The order a > b > c,
   * each pair's confidence the share of rankers agreeing with it.
   */
  @Test
  void bordaShouldOrderByTotalScore() {
    List<Pair<String>> pairs = Consensus.of(ConsensusMethod.BORDA, TWO_AGAINST_ONE);

    assertThat(pair(pairs, "a", "b").confidence()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(pair(pairs, "a", "c").confidence()).isEqualTo(1.0);
    assertThat(pair(pairs, "b", "c").confidence()).isEqualTo(1.0);
  }

  /**
   * Borda and majority part ways: a>b>c, a>b>c, b>c>a. Majority gives a > b (2 of 3); Borda scores
   * a 2+2+0 = 4, b 1+1+2 = 4, c 0+0+1 = 1, so a and b tie on score and Borda gives no (a,b) pair.
   */
  @Test
  void bordaShouldGiveNoPairWhereTheTotalsTie() {
    List<Vote<String>> votes =
        List.of(
            vote(1, "a", 1, "b", 2, "c", 3),
            vote(1, "a", 1, "b", 2, "c", 3),
            vote(1, "a", 3, "b", 1, "c", 2));

    assertThat(Consensus.of(ConsensusMethod.BORDA, votes))
        .extracting(p -> p.chosen() + ">" + p.rejected())
        .containsExactlyInAnyOrder("a>c", "b>c");
    assertThat(Consensus.of(ConsensusMethod.MAJORITY, votes))
        .extracting(p -> p.chosen() + ">" + p.rejected())
        .contains("a>b");
  }

  /**
   * Strengths 4 : 2 : 1 reproduce these win counts exactly (a beat b 4 of 6, b beat c 4 of 6, a
   * beat c 4 of 5), so they are the maximum-likelihood fit: P(a beats c) = 4 / 5.
   */
  @Test
  void bradleyTerryShouldRecoverTheStrengthsOfAKnownSmallCase() {
    List<WeightedBradleyTerry.Game> games = new ArrayList<>();
    games.add(new WeightedBradleyTerry.Game(0, 1, 4));
    games.add(new WeightedBradleyTerry.Game(1, 0, 2));
    games.add(new WeightedBradleyTerry.Game(1, 2, 4));
    games.add(new WeightedBradleyTerry.Game(2, 1, 2));
    games.add(new WeightedBradleyTerry.Game(0, 2, 4));
    games.add(new WeightedBradleyTerry.Game(2, 0, 1));

    double[] p = WeightedBradleyTerry.fit(3, games, 0);

    assertThat(p[0] / p[1]).isCloseTo(2.0, within(1e-6));
    assertThat(p[1] / p[2]).isCloseTo(2.0, within(1e-6));
    assertThat(p[0] / (p[0] + p[2])).isCloseTo(0.8, within(1e-6));
  }

  @Test
  void bradleyTerryConsensusShouldOrderAndGiveTheModelsProbability() {
    List<Pair<String>> pairs = Consensus.of(ConsensusMethod.BRADLEY_TERRY, TWO_AGAINST_ONE);

    assertThat(pairs)
        .extracting(p -> p.chosen() + ">" + p.rejected())
        .containsExactlyInAnyOrder("a>b", "a>c", "b>c");
    // c lost every game, a only one: the model is surer of a > c than of a > b, and never certain.
    assertThat(pair(pairs, "a", "c").confidence())
        .isGreaterThan(pair(pairs, "a", "b").confidence())
        .isLessThan(1.0);
    assertThat(pair(pairs, "a", "b").confidence()).isGreaterThan(0.5);
  }

  @Test
  void shouldGiveTheSamePairsInTheSameOrderEveryTime() {
    assertThat(Consensus.of(ConsensusMethod.MAJORITY, TWO_AGAINST_ONE))
        .isEqualTo(Consensus.of(ConsensusMethod.MAJORITY, TWO_AGAINST_ONE));
  }
}
