package dev.rlhf.training.preferences;

import java.util.UUID;

/**
 * One comparison: for the conversation of {@code promptId}, {@code chosen} is preferred over {@code
 * rejected}.
 *
 * @param sourceEventId the ranking event the pair was expanded from (lineage)
 */
public record PreferencePair(UUID promptId, UUID sourceEventId, String chosen, String rejected) {}
