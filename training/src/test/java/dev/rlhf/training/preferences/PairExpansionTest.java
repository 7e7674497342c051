package dev.rlhf.training.preferences;

import static dev.rlhf.training.preferences.Rankings.completion;
import static dev.rlhf.training.preferences.Rankings.ranking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PairExpansionTest {

  @Test
  void aRankingOfFourGivesAllSixPairsWithTheBetterRankChosen() {
    var r =
        ranking(
            UUID.randomUUID(),
            "q",
            List.of(completion("c", 3), completion("a", 1), completion("d", 4), completion("b", 2)),
            false,
            null);

    assertThat(PairExpansion.pairs(r))
        .extracting(PreferencePair::chosen, PreferencePair::rejected)
        .containsExactlyInAnyOrder(
            tuple("a", "b"),
            tuple("a", "c"),
            tuple("a", "d"),
            tuple("b", "c"),
            tuple("b", "d"),
            tuple("c", "d"));
  }

  @Test
  void tiedCompletionsGiveNoPairBetweenThem() {
    var r =
        ranking(
            UUID.randomUUID(),
            "q",
            List.of(completion("a", 1), completion("b", 2), completion("c", 2)),
            false,
            null);

    assertThat(PairExpansion.pairs(r))
        .extracting(PreferencePair::chosen, PreferencePair::rejected)
        .containsExactlyInAnyOrder(tuple("a", "b"), tuple("a", "c"));
  }

  @Test
  void allBadWithAWrittenResponseMakesItPreferredOverEveryCompletion() {
    var r =
        ranking(
            UUID.randomUUID(),
            "q",
            List.of(completion("a", 1), completion("b", 1), completion("c", 1)),
            true,
            "better");

    assertThat(PairExpansion.pairs(r))
        .extracting(PreferencePair::chosen, PreferencePair::rejected)
        .containsExactlyInAnyOrder(
            tuple("better", "a"), tuple("better", "b"), tuple("better", "c"));
  }

  @Test
  void allBadWithoutAWrittenResponseKeepsOnlyTheRankingPairs() {
    var r =
        ranking(UUID.randomUUID(), "q", List.of(completion("a", 1), completion("b", 2)), true, " ");

    assertThat(PairExpansion.pairs(r))
        .extracting(PreferencePair::chosen, PreferencePair::rejected)
        .containsExactly(tuple("a", "b"));
  }

  @Test
  void aPromptsPairsAreWeightedTogetherAndNeverSplitAcrossTrainAndHeldOut() {
    var rankings = dev.rlhf.training.preferences.Rankings.politeOverRude(200, 3);
    var data = PreferenceDataset.of(rankings, 20);

    assertThat(data.train()).isNotEmpty();
    assertThat(data.heldOut()).isNotEmpty();
    assertThat(data.train())
        .extracting(PromptComparisons::promptId)
        .doesNotContainAnyElementsOf(
            data.heldOut().stream().map(PromptComparisons::promptId).toList());
    assertThat(data.trainPairs() + data.heldOutPairs()).isEqualTo(200 * 3);
    assertThat(data.heldOut().size()).isBetween(20, 60);
    assertThat(PreferenceDataset.of(rankings, 20)).usingRecursiveComparison().isEqualTo(data);
  }
}
