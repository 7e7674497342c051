package dev.rlhf.labeling.quality.measures;

import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Krippendorff's alpha, the agreement of any number of raters with missing values, as 1 - observed
 * / expected disagreement, computed from the coincidence matrix (Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability", 2011). 1 is perfect agreement, 0 what chance gives.
 */
public final class KrippendorffAlpha {

  /** How different two values are. */
  public enum Metric {
    /** Any two different values differ equally. */
    NOMINAL,
    /**
     * Ranks: the difference of c and k grows with how many of all the values given lie between
     * them, so it respects order without assuming equal steps. The Likert ratings use it.
     */
    ORDINAL,
    /** (c - k)^2: equal steps. */
    INTERVAL
  }

  private KrippendorffAlpha() {}

  /**
   * @param units per unit (one rated thing), the values its raters gave; a missing value is left
   *     out. Units with fewer than two values cannot be paired and are ignored.
   * @return empty when no unit has two values or every value given is the same
   */
  public static OptionalDouble of(List<List<Double>> units, Metric metric) {
    TreeMap<Double, Integer> index = new TreeMap<>();
    for (List<Double> unit : units) {
      if (unit.size() >= 2) unit.forEach(v -> index.putIfAbsent(v, 0));
    }
    double[] values = index.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    for (int i = 0; i < values.length; i++) index.put(values[i], i);
    int v = values.length;
    double[][] coincidences = new double[v][v];
    for (List<Double> unit : units) {
      int m = unit.size();
      if (m < 2) continue;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          if (i == j) continue;
          coincidences[index.get(unit.get(i))][index.get(unit.get(j))] += 1.0 / (m - 1);
        }
      }
    }
    double[] marginals = new double[v];
    double n = 0;
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) marginals[c] += coincidences[c][k];
      n += marginals[c];
    }
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) {
        double delta = delta(metric, values, marginals, c, k);
        observed += coincidences[c][k] * delta;
        expected += marginals[c] * marginals[k] * delta;
      }
    }
    if (n == 0 || expected == 0) return OptionalDouble.empty();
    return OptionalDouble.of(1 - (n - 1) * observed / expected);
  }

  private static double delta(Metric metric, double[] values, double[] marginals, int c, int k) {
    if (c == k) return 0;
    return switch (metric) {
      case NOMINAL -> 1;
      case INTERVAL -> Math.pow(values[c] - values[k], 2);
      case ORDINAL -> {
        int low = Math.min(c, k);
        int high = Math.max(c, k);
        double between = 0;
        for (int g = low; g <= high; g++) between += marginals[g];
        yield Math.pow(between - (marginals[c] + marginals[k]) / 2, 2);
      }
    };
  }
}
