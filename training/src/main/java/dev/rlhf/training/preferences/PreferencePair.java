package dev.rlhf.training.preferences;

import java.util.UUID;

/**
 * One comparison: for the conversation of {@code promptId}, {@code chosen} is preferred over {@code
 * rejected}.
 *
 * @param sourceEventId the ranking event the pair was expanded from (lineage)
 * @param weight the pair's weight in the loss, in (0, 1]
 */
public record PreferencePair(
    UUID promptId, UUID sourceEventId, String chosen, String rejected, double weight) {

  /** A ranking's own pair, of weight 1. */
  public PreferencePair(UUID promptId, UUID sourceEventId, String chosen, String rejected) {
    this(promptId, sourceEventId, chosen, rejected, 1);
  }
}
