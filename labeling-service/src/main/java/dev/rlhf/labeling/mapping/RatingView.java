package dev.rlhf.labeling.mapping;

import dev.rlhf.labeling.domain.CompletionRating;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rating as its contractor saved it, so the workbench can show it again; a null score was not
 * given.
 */
public record RatingView(
    UUID id,
    UUID completionId,
    Integer helpful,
    Integer truthful,
    Integer harmless,
    List<CompletionRating.Flag> flags,
    Instant ratedAt) {

  public static RatingView of(CompletionRating rating) {
    return new RatingView(
        rating.id,
        rating.completionId,
        rating.helpful,
        rating.truthful,
        rating.harmless,
        rating.flags,
        rating.createdAt);
  }
}
