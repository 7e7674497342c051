package dev.rlhf.events.contract;

import java.util.Locale;

/**
 * When two sampled completions count as the same for ranking: equal once case, runs of white space
 * and trailing punctuation are ignored. Ranking two such texts tells a reward model nothing, so the
 * runtime samples past them and labeling-service merges any that still arrive.
 */
public final class CompletionTexts {

  private CompletionTexts() {}

  /** The key two near-duplicate texts share. */
  public static String duplicateKey(String text) {
    String collapsed = text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    return collapsed.replaceAll("[\\s.!?,;:]+$", "");
  }
}
