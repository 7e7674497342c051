package dev.rlhf.labeling.arena;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Bradley-Terry strengths from pairwise games, on the Elo scale (1000 is the average player, +400
 * means 10:1 odds), with percentile bootstrap intervals.
 *
 * <p>Fitted with Hunter's MM iteration. Ties count half a win for each side. Every player also gets
 * one virtual tie against an average opponent: without it a version that never lost (or never won)
 * would have an infinite score, and with few votes the prior pulls scores towards the middle, which
 * is the honest answer.
 */
public final class BradleyTerry {

  /** One vote: {@code scoreA} is 1 when a won, 0 when b won, 0.5 for a tie. */
  public record Game(int a, int b, double scoreA) {}

  /** A player's score and its 95% bootstrap interval. */
  public record Rating(double score, double lower, double upper) {}

  private static final int ITERATIONS = 2000;
  private static final double TOLERANCE = 1e-10;
  private static final double ELO_PER_NAT = 400 / Math.log(10);
  private static final double POISSON_LIMIT = Math.exp(-1);

  private BradleyTerry() {}

  /** Elo-scale scores of players 0..players-1. */
  public static double[] fit(int players, List<Game> games) {
    double[] p = new double[players];
    Arrays.fill(p, 1.0);
    double[] wins = new double[players];
    for (Game g : games) {
      wins[g.a()] += g.scoreA();
      wins[g.b()] += 1 - g.scoreA();
    }
    for (int it = 0; it < ITERATIONS; it++) {
      double[] denominators = new double[players];
      for (Game g : games) {
        double share = 1 / (p[g.a()] + p[g.b()]);
        denominators[g.a()] += share;
        denominators[g.b()] += share;
      }
      double change = 0;
      double[] next = new double[players];
      for (int i = 0; i < players; i++) {
        // The virtual tie against an opponent of strength 1: half a win, one more game.
        next[i] = (wins[i] + 0.5) / (denominators[i] + 1 / (p[i] + 1));
        change = Math.max(change, Math.abs(Math.log(next[i] / p[i])));
      }
      p = next;
      if (change < TOLERANCE) break;
    }
    double meanLog = Arrays.stream(p).map(Math::log).average().orElse(0);
    return Arrays.stream(p).map(x -> 1000 + ELO_PER_NAT * (Math.log(x) - meanLog)).toArray();
  }

  /**
   * Scores with 95% intervals from {@code resamples} Poisson bootstrap resamples of the games: each
   * game is drawn a Poisson(1) number of times. The usual resampling of n games out of n gives
   * every resample the same record when there is one vote, or when one version won every game
   * against another, and so an interval of zero width; with Poisson counts such a record still
   * shows how little it proves. For many votes both give the same intervals.
   */
  public static Rating[] rate(int players, List<Game> games, int resamples, long seed) {
    double[] scores = fit(players, games);
    double[][] samples = new double[players][resamples];
    Random random = new Random(seed);
    for (int r = 0; r < resamples; r++) {
      List<Game> resample = new ArrayList<>();
      for (Game g : games) {
        for (int copies = poisson1(random); copies > 0; copies--) resample.add(g);
      }
      double[] fitted = fit(players, resample);
      for (int i = 0; i < players; i++) samples[i][r] = fitted[i];
    }
    Rating[] ratings = new Rating[players];
    for (int i = 0; i < players; i++) {
      double[] s = samples[i];
      Arrays.sort(s);
      ratings[i] =
          new Rating(scores[i], quantile(s, 0.025, scores[i]), quantile(s, 0.975, scores[i]));
    }
    return ratings;
  }

  /** A Poisson(1) draw (Knuth): count uniforms until their product falls below 1/e. */
  private static int poisson1(Random random) {
    int count = 0;
    double product = random.nextDouble();
    while (product > POISSON_LIMIT) {
      count++;
      product *= random.nextDouble();
    }
    return count;
  }

  private static double quantile(double[] sorted, double q, double fallback) {
    if (sorted.length == 0) return fallback;
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
