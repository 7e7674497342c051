package dev.rlhf.training.preferences;

import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a ranking into preference pairs. A ranking of K completions gives every pair whose ranks
 * differ (K(K-1)/2 without ties); tied completions give no pair. When the contractor judged all
 * completions bad and wrote a better response, that response is preferred over each of the K (the
 * ranks among the K still count: "all bad" does not say they are equally bad). Pairs of identical
 * text are dropped, since no reward can order a text against itself.
 */
public final class PairExpansion {

  private PairExpansion() {}

  public static List<PreferencePair> pairs(RankingSubmitted ranking) {
    List<RankedCompletion> c = ranking.completions();
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      for (int j = i + 1; j < c.size(); j++) {
        RankedCompletion a = c.get(i);
        RankedCompletion b = c.get(j);
        if (a.rank() < b.rank()) {
          add(pairs, ranking, a.text(), b.text());
        } else if (b.rank() < a.rank()) {
          add(pairs, ranking, b.text(), a.text());
        }
      }
    }
    String better = ranking.betterResponse();
    if (ranking.allBad() && better != null && !better.isBlank()) {
      for (RankedCompletion bad : c) {
        add(pairs, ranking, better, bad.text());
      }
    }
    return pairs;
  }

  private static void add(
      List<PreferencePair> pairs, RankingSubmitted ranking, String chosen, String rejected) {
    if (!chosen.equals(rejected)) {
      pairs.add(new PreferencePair(ranking.promptId(), ranking.eventId(), chosen, rejected));
    }
  }
}
