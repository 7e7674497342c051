package dev.rlhf.training.preferences;

import static dev.rlhf.training.preferences.Rankings.completion;
import static dev.rlhf.training.preferences.Rankings.ranking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import dev.rlhf.events.contract.WeightedPair;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WeightedPairsTest {

  private final UUID prompt = UUID.randomUUID();
  private final RankedCompletion a = completion("Paris.", 1);
  private final RankedCompletion b = completion("Lyon.", 2);
  private final RankedCompletion c = completion("Nice.", 3);
  // Two contractors ranked the same three completions; the second disagrees about a and b.
  private final RankingSubmitted first = ranking(prompt, "Capital?", List.of(a, b, c), false, null);
  private final RankingSubmitted second =
      ranking(
          prompt,
          "Capital?",
          List.of(
              new RankedCompletion(a.completionId(), a.text(), "sft-1", 2),
              new RankedCompletion(b.completionId(), b.text(), "sft-1", 1),
              new RankedCompletion(c.completionId(), c.text(), "sft-1", 3)),
          false,
          null);

  @Test
  void shouldTrainOnExactlyTheWeightedPairsInsteadOfEveryRankingsPairs() {
    List<WeightedPair> consensus =
        List.of(
            new WeightedPair(prompt, a.completionId(), c.completionId(), 1.0),
            new WeightedPair(prompt, b.completionId(), c.completionId(), 0.5));

    PreferenceDataset data = PreferenceDataset.of(List.of(first, second), 0, consensus);

    List<PromptComparisons> all = data.train().isEmpty() ? data.heldOut() : data.train();
    assertThat(all).hasSize(1);
    PromptComparisons p = all.get(0);
    assertThat(p.pairCount()).as("2 consensus pairs, not the rankings' 6").isEqualTo(2);
    assertThat(p.completions().get(p.chosen()[0])).isEqualTo("Paris.");
    assertThat(p.completions().get(p.rejected()[0])).isEqualTo("Nice.");
    assertThat(p.completions().get(p.chosen()[1])).isEqualTo("Lyon.");
    assertThat(p.weights()).containsExactly(1f, 0.5f);
    assertThat(data.labelEventIds()).containsExactly(first.eventId(), second.eventId());
  }

  @Test
  void shouldGiveEveryRankingsPairWeightOneWithoutWeightedPairs() {
    PreferenceDataset data = PreferenceDataset.of(List.of(first, second), 0);

    PromptComparisons p = (data.train().isEmpty() ? data.heldOut() : data.train()).get(0);
    assertThat(p.pairCount()).isEqualTo(6);
    assertThat(p.weights()).containsOnly(1f);
  }

  @Test
  void shouldNameABetterResponseByItsRankingsId() {
    RankingSubmitted allBad =
        ranking(prompt, "Capital?", List.of(a, completion("Rome.", 1)), true, "Paris, of course.");

    List<PreferencePair> pairs =
        WeightedPairs.resolve(
            List.of(allBad),
            List.of(new WeightedPair(prompt, allBad.rankingId(), a.completionId(), 0.25)));

    assertThat(pairs)
        .containsExactly(
            new PreferencePair(prompt, allBad.eventId(), "Paris, of course.", "Paris.", 0.25));
  }

  @Test
  void shouldRefuseAPairNamingATextTheSnapshotDoesNotHold() {
    UUID stranger = UUID.randomUUID();

    assertThatThrownBy(
            () ->
                WeightedPairs.resolve(
                    List.of(first),
                    List.of(new WeightedPair(prompt, stranger, a.completionId(), 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(stranger.toString());
  }
}
