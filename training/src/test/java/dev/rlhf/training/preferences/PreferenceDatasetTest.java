package dev.rlhf.training.preferences;

import static dev.rlhf.training.preferences.Rankings.completion;
import static dev.rlhf.training.preferences.Rankings.ranking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.training.HeldOutSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class PreferenceDatasetTest {

  @Test
  void shouldHoldOutThePromptNearestTheSplitWhenTheHashHoldsOutNone() {
    HeldOutSplit split = new HeldOutSplit(10);
    List<UUID> prompts = promptIds(3, id -> !split.isHeldOut(id));

    PreferenceDataset data = PreferenceDataset.of(rankingsOf(prompts), 10);

    UUID nearest = prompts.stream().min(Comparator.comparingInt(HeldOutSplit::bucket)).get();
    assertThat(data.heldOut()).extracting(PromptComparisons::promptId).containsExactly(nearest);
    assertThat(data.train()).hasSize(2);
  }

  @Test
  void shouldTrainOnThePromptNearestTheSplitWhenTheHashHoldsOutAll() {
    HeldOutSplit split = new HeldOutSplit(90);
    List<UUID> prompts = promptIds(3, split::isHeldOut);

    PreferenceDataset data = PreferenceDataset.of(rankingsOf(prompts), 90);

    UUID nearest = prompts.stream().max(Comparator.comparingInt(HeldOutSplit::bucket)).get();
    assertThat(data.train()).extracting(PromptComparisons::promptId).containsExactly(nearest);
    assertThat(data.heldOut()).hasSize(2);
  }

  @Test
  void shouldLeaveOnePromptWhereTheHashPutsIt() {
    List<UUID> prompt = promptIds(1, new HeldOutSplit(10)::isHeldOut);

    PreferenceDataset data = PreferenceDataset.of(rankingsOf(prompt), 10);

    assertThat(data.train()).isEmpty();
    assertThat(data.heldOut()).hasSize(1);
  }

  /** Random prompt ids that the hash split alone puts where {@code side} says. */
  private static List<UUID> promptIds(int count, Predicate<UUID> side) {
    List<UUID> ids = new ArrayList<>();
    while (ids.size() < count) {
      UUID id = UUID.randomUUID();
      if (side.test(id)) ids.add(id);
    }
    return ids;
  }

  private static List<RankingSubmitted> rankingsOf(List<UUID> prompts) {
    return prompts.stream()
        .map(p -> ranking(p, "q", List.of(completion("a", 1), completion("b", 2)), false, null))
        .toList();
  }
}
