package dev.rlhf.labeling.quality.measures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How far two rankings of the same items agree. A ranking maps an item to its rank (1 is best;
 * equal ranks are ties); only the items both rankings hold are compared.
 */
public final class RankingAgreement {

  private RankingAgreement() {}

  /**
   * Pairwise agreement: of the item pairs both rankings hold, the share that both order the same
   * way (the same one better, or both tied). Empty when they share fewer than two items.
   */
  public static <K> OptionalDouble pairwise(Map<K, Integer> a, Map<K, Integer> b) {
    List<K> shared = shared(a, b);
    int pairs = 0;
    int same = 0;
    for (int i = 0; i < shared.size(); i++) {
      for (int j = i + 1; j < shared.size(); j++) {
        pairs++;
        if (order(a, shared.get(i), shared.get(j)) == order(b, shared.get(i), shared.get(j))) {
          same++;
        }
      }
    }
    return pairs == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) same / pairs);
  }

  /**
   * Kendall's tau-b: (C - D) / sqrt((C + D + Ta) (C + D + Tb)) over the shared item pairs, with C
   * concordant and D discordant pairs, Ta pairs tied in {@code a} only and Tb tied in {@code b}
   * only. 1 is the same order, -1 the reverse. Empty when either ranking ties every shared item (or
   * they share fewer than two).
   */
  public static <K> OptionalDouble kendallTau(Map<K, Integer> a, Map<K, Integer> b) {
    List<K> shared = shared(a, b);
    long concordant = 0;
    long discordant = 0;
    long tiedA = 0;
    long tiedB = 0;
    for (int i = 0; i < shared.size(); i++) {
      for (int j = i + 1; j < shared.size(); j++) {
        int x = order(a, shared.get(i), shared.get(j));
        int y = order(b, shared.get(i), shared.get(j));
        if (x == 0 && y == 0) continue;
        if (x == 0) tiedA++;
        else if (y == 0) tiedB++;
        else if (x == y) concordant++;
        else discordant++;
      }
    }
    double denominator =
        Math.sqrt((double) (concordant + discordant + tiedA) * (concordant + discordant + tiedB));
    if (denominator == 0) return OptionalDouble.empty();
    return OptionalDouble.of((concordant - discordant) / denominator);
  }

  /**
   * Of the required pairs (better, worse), how many the ranking orders that way: a tie or the
   * reverse order misses.
   */
  public static <K> int requiredPairsMet(Map<K, Integer> ranking, List<List<K>> required) {
    int met = 0;
    for (List<K> pair : required) {
      Integer better = ranking.get(pair.get(0));
      Integer worse = ranking.get(pair.get(1));
      if (better != null && worse != null && better < worse) met++;
    }
    return met;
  }

  /** Every (better, worse) pair a ranking states; tied items give none. */
  public static <K> List<List<K>> pairsOf(Map<K, Integer> ranking) {
    List<K> items = new ArrayList<>(ranking.keySet());
    List<List<K>> pairs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      for (int j = i + 1; j < items.size(); j++) {
        int x = order(ranking, items.get(i), items.get(j));
        if (x < 0) pairs.add(List.of(items.get(i), items.get(j)));
        else if (x > 0) pairs.add(List.of(items.get(j), items.get(i)));
      }
    }
    return pairs;
  }

  private static <K> List<K> shared(Map<K, Integer> a, Map<K, Integer> b) {
    return a.keySet().stream().filter(b::containsKey).toList();
  }

  /** -1 when {@code x} is ranked better than {@code y}, 1 when worse, 0 when tied. */
  private static <K> int order(Map<K, Integer> ranking, K x, K y) {
    return Integer.signum(Integer.compare(ranking.get(x), ranking.get(y)));
  }
}
