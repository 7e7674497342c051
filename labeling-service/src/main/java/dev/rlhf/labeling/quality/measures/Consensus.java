package dev.rlhf.labeling.quality.measures;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The consensus of several rankings of one prompt: one set of (chosen, rejected) pairs, each with a
 * confidence and a weight for the loss.
 *
 * <p>Only pairs that some ranking ordered are given (two written better responses of different
 * rankings are never compared). A pair's confidence is its share of the weighted votes (MAJORITY,
 * BORDA: of the rankings that compared the two items, ties counting half) or the fitted model's
 * probability (BRADLEY_TERRY). Its weight is the confidence times the mean weight (trust) of the
 * rankings that compared the two: a pair that only down-weighted contractors support counts less
 * however unanimous they are. Rankings of weight 0 (excluded contractors) are left out entirely.
 */
public final class Consensus {

  /** A ranking (item to rank, 1 best, equal ranks tied) with the trust in its contractor. */
  public record Vote<K>(Map<K, Integer> ranks, double weight) {
    public Vote {
      if (!(weight >= 0 && weight <= 1)) throw new IllegalArgumentException("weight " + weight);
      // Kept in the given order, so the same votes always give the same pairs in the same order.
      ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
    }
  }

  /** {@code chosen} is preferred over {@code rejected}. */
  public record Pair<K>(K chosen, K rejected, double confidence, double weight) {}

  /** The prior games of each item in a Bradley-Terry fit (see {@link WeightedBradleyTerry}). */
  static final double BRADLEY_TERRY_PRIOR = 1;

  private Consensus() {}

  public static <K> List<Pair<K>> of(ConsensusMethod method, List<Vote<K>> allVotes) {
    List<Vote<K>> votes = allVotes.stream().filter(v -> v.weight() > 0).toList();
    List<K> items = new ArrayList<>(new LinkedHashSet<>(itemsOf(votes)));
    Map<K, Integer> index = new HashMap<>();
    for (K item : items) index.put(item, index.size());
    int n = items.size();
    // for[i][j]: weighted votes for i over j; compared[i][j]: weight of votes holding both.
    double[][] support = new double[n][n];
    double[][] compared = new double[n][n];
    int[][] voters = new int[n][n];
    boolean[][] ordered = new boolean[n][n];
    for (Vote<K> vote : votes) {
      List<K> held = new ArrayList<>(vote.ranks().keySet());
      for (int a = 0; a < held.size(); a++) {
        for (int b = a + 1; b < held.size(); b++) {
          int i = index.get(held.get(a));
          int j = index.get(held.get(b));
          int ri = vote.ranks().get(held.get(a));
          int rj = vote.ranks().get(held.get(b));
          double w = vote.weight();
          compared[i][j] += w;
          compared[j][i] += w;
          voters[i][j]++;
          voters[j][i]++;
          if (ri < rj) support[i][j] += w;
          else if (rj < ri) support[j][i] += w;
          else {
            support[i][j] += w / 2;
            support[j][i] += w / 2;
          }
          if (ri != rj) ordered[i][j] = ordered[j][i] = true;
        }
      }
    }
    double[] score =
        switch (method) {
          case MAJORITY -> null;
          case BORDA -> borda(votes, index);
          case BRADLEY_TERRY -> bradleyTerry(n, support);
        };
    List<Pair<K>> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!ordered[i][j]) continue;
        int first;
        if (score == null) first = Double.compare(support[i][j], support[j][i]);
        else first = Double.compare(score[i], score[j]);
        if (first == 0) continue;
        int chosen = first > 0 ? i : j;
        int rejected = first > 0 ? j : i;
        double confidence =
            method == ConsensusMethod.BRADLEY_TERRY
                ? score[chosen] / (score[chosen] + score[rejected])
                : support[chosen][rejected] / compared[chosen][rejected];
        double trust = compared[chosen][rejected] / voters[chosen][rejected];
        pairs.add(
            new Pair<>(items.get(chosen), items.get(rejected), confidence, confidence * trust));
      }
    }
    return pairs;
  }

  private static <K> List<K> itemsOf(List<Vote<K>> votes) {
    List<K> items = new ArrayList<>();
    for (Vote<K> v : votes) items.addAll(v.ranks().keySet());
    return items;
  }

  private static <K> double[] borda(List<Vote<K>> votes, Map<K, Integer> index) {
    double[] score = new double[index.size()];
    for (Vote<K> vote : votes) {
      for (Map.Entry<K, Integer> item : vote.ranks().entrySet()) {
        double points = 0;
        for (Map.Entry<K, Integer> other : vote.ranks().entrySet()) {
          if (other.getKey().equals(item.getKey())) continue;
          if (item.getValue() < other.getValue()) points += 1;
          else if (item.getValue().equals(other.getValue())) points += 0.5;
        }
        score[index.get(item.getKey())] += vote.weight() * points;
      }
    }
    return score;
  }

  private static double[] bradleyTerry(int n, double[][] support) {
    List<WeightedBradleyTerry.Game> games = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (support[i][j] > 0) games.add(new WeightedBradleyTerry.Game(i, j, support[i][j]));
      }
    }
    return WeightedBradleyTerry.fit(n, games, BRADLEY_TERRY_PRIOR);
  }
}
