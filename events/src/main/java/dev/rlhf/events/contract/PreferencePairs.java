package dev.rlhf.events.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * What a ranking says as preference pairs, the one rule the preferences export, the label
 * statistics and both trainers follow. A ranking of K completions gives every pair whose ranks
 * differ (K(K-1)/2 without ties); tied completions give no pair. When the contractor judged all
 * completions bad and wrote a better response, that response is preferred over each of the K (the
 * ranks among the K still count: "all bad" does not say they are equally bad). Pairs of identical
 * text are dropped, since no reward can order a text against itself: what is left are the
 * informative pairs.
 */
public final class PreferencePairs {

  /** A completion with its rank (1 is best; equal ranks are ties). */
  public record Ranked(String text, int rank) {}

  /** {@code chosen} is preferred over {@code rejected}. */
  public record Pair(String chosen, String rejected) {}

  private PreferencePairs() {}

  /** The pairs of a ranking, those among the completions first, in the completions' order. */
  public static List<Pair> of(List<Ranked> completions, boolean allBad, String betterResponse) {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < completions.size(); i++) {
      for (int j = i + 1; j < completions.size(); j++) {
        Ranked a = completions.get(i);
        Ranked b = completions.get(j);
        if (a.rank() < b.rank()) add(pairs, a.text(), b.text());
        else if (b.rank() < a.rank()) add(pairs, b.text(), a.text());
      }
    }
    if (allBad && betterResponse != null && !betterResponse.isBlank()) {
      for (Ranked bad : completions) add(pairs, betterResponse, bad.text());
    }
    return pairs;
  }

  /** The pairs of a ranking event. */
  public static List<Pair> of(RankingSubmitted ranking) {
    return of(
        ranking.completions().stream().map(c -> new Ranked(c.text(), c.rank())).toList(),
        ranking.allBad(),
        ranking.betterResponse());
  }

  private static void add(List<Pair> pairs, String chosen, String rejected) {
    if (!chosen.equals(rejected)) pairs.add(new Pair(chosen, rejected));
  }
}
