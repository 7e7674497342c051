package dev.rlhf.training.preferences;

import dev.rlhf.events.contract.PreferencePairs;
import dev.rlhf.events.contract.RankingSubmitted;
import java.util.List;

/**
 * A ranking's preference pairs, by the event contracts' {@link PreferencePairs} rule, with the
 * prompt and the ranking event they come from (lineage).
 */
public final class PairExpansion {

  private PairExpansion() {}

  public static List<PreferencePair> pairs(RankingSubmitted ranking) {
    return PreferencePairs.of(ranking).stream()
        .map(
            p ->
                new PreferencePair(ranking.promptId(), ranking.eventId(), p.chosen(), p.rejected()))
        .toList();
  }
}
