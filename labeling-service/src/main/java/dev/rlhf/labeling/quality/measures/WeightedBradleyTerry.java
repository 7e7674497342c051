package dev.rlhf.labeling.quality.measures;

import java.util.Arrays;
import java.util.List;

/**
 * Bradley-Terry strengths p (P(i beats j) = p_i / (p_i + p_j)) from weighted games, by Hunter's MM
 * iteration: p_i <- wins_i / sum_j n_ij / (p_i + p_j).
 *
 * <p>With {@code priorGames} > 0 every item also plays that many virtual games against an opponent
 * of strength 1 and wins half: without it an item that never lost would have infinite strength.
 * Strengths are scaled to geometric mean 1.
 */
public final class WeightedBradleyTerry {

  /** {@code winner} beat {@code loser} with this weight (a tie is two half-weight games). */
  public record Game(int winner, int loser, double weight) {}

  private static final int ITERATIONS = 5000;
  private static final double TOLERANCE = 1e-12;

  private WeightedBradleyTerry() {}

  public static double[] fit(int items, List<Game> games, double priorGames) {
    double[] p = new double[items];
    Arrays.fill(p, 1.0);
    double[] wins = new double[items];
    for (Game g : games) wins[g.winner()] += g.weight();
    for (int it = 0; it < ITERATIONS; it++) {
      double[] denominators = new double[items];
      for (Game g : games) {
        double share = g.weight() / (p[g.winner()] + p[g.loser()]);
        denominators[g.winner()] += share;
        denominators[g.loser()] += share;
      }
      double change = 0;
      double[] next = new double[items];
      for (int i = 0; i < items; i++) {
        double won = wins[i] + priorGames / 2;
        double played = denominators[i] + priorGames / (p[i] + 1);
        next[i] = played == 0 ? p[i] : Math.max(won, 1e-12) / played;
      }
      double meanLog = Arrays.stream(next).map(Math::log).average().orElse(0);
      for (int i = 0; i < items; i++) {
        next[i] = Math.exp(Math.log(next[i]) - meanLog);
        change = Math.max(change, Math.abs(Math.log(next[i] / p[i])));
      }
      p = next;
      if (change < TOLERANCE) break;
    }
    return p;
  }
}
