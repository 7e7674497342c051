package dev.rlhf.labeling.selection;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much a prompt's sampled completions differ: the mean, over every pair of completions, of the
 * word-set (Jaccard) distance, 1 - |A and B| / |A or B| of their lower-cased words. 0 when all read
 * alike, 1 when no two share a word. Where the policy's samples disagree the policy is unsure, and
 * a ranking of them says more than a ranking of near-copies (whose pairs are mostly ties); this is
 * the signal active selection has without a reward model.
 */
public final class CompletionDiversity {

  private CompletionDiversity() {}

  /** The diversity of the completions; 0 for fewer than two. */
  public static double of(List<String> completions) {
    List<Set<String>> words = completions.stream().map(CompletionDiversity::words).toList();
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < words.size(); i++) {
      for (int j = i + 1; j < words.size(); j++) {
        sum += distance(words.get(i), words.get(j));
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  /** Jaccard distance of two word sets; two empty texts are alike. */
  static double distance(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    if (union.isEmpty()) return 0;
    int shared = 0;
    for (String w : a) {
      if (b.contains(w)) shared++;
    }
    return 1 - shared / (double) union.size();
  }

  /** Lower-cased runs of letters and digits; punctuation separates words. */
  static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) words.add(w);
    }
    return words;
  }
}
