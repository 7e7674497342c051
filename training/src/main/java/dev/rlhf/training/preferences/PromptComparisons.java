package dev.rlhf.training.preferences;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * All pairs of one prompt, with each distinct completion listed once so that it is scored once per
 * step however many pairs it is in.
 *
 * @param completions distinct completion texts
 * @param chosen per pair, index into {@code completions} of the preferred text
 * @param rejected per pair, index of the other text
 * @param weights per pair, its weight in the loss, in (0, 1]: 1 for a ranking's own pairs, the
 *     consensus' confidence times the contractors' trust for a consensus pair
 */
public record PromptComparisons(
    UUID promptId,
    List<Turn> conversation,
    List<String> completions,
    int[] chosen,
    int[] rejected,
    float[] weights) {

  public PromptComparisons {
    conversation = List.copyOf(conversation);
    completions = List.copyOf(completions);
    if (chosen.length != rejected.length || chosen.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one pair");
    }
    if (weights.length != chosen.length) {
      throw new IllegalArgumentException("a prompt needs one weight per pair");
    }
    for (float w : weights) {
      if (!(w > 0 && w <= 1)) throw new IllegalArgumentException("pair weight " + w);
    }
  }

  /** Pairs of weight 1 each. */
  public PromptComparisons(
      UUID promptId,
      List<Turn> conversation,
      List<String> completions,
      int[] chosen,
      int[] rejected) {
    this(promptId, conversation, completions, chosen, rejected, ones(chosen.length));
  }

  public int pairCount() {
    return chosen.length;
  }

  private static float[] ones(int n) {
    float[] w = new float[n];
    Arrays.fill(w, 1f);
    return w;
  }
}
