package dev.rlhf.training.preferences;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;
import java.util.UUID;

/**
 * All pairs of one prompt, with each distinct completion listed once so that it is scored once per
 * step however many pairs it is in.
 *
 * @param completions distinct completion texts
 * @param chosen per pair, index into {@code completions} of the preferred text
 * @param rejected per pair, index of the other text
 */
public record PromptComparisons(
    UUID promptId,
    List<Turn> conversation,
    List<String> completions,
    int[] chosen,
    int[] rejected) {

  public PromptComparisons {
    conversation = List.copyOf(conversation);
    completions = List.copyOf(completions);
    if (chosen.length != rejected.length || chosen.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one pair");
    }
  }

  public int pairCount() {
    return chosen.length;
  }
}
