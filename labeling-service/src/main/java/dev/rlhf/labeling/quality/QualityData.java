package dev.rlhf.labeling.quality;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the quality figures are computed from: the rankings of ranking tasks (comparisons are blind
 * arena votes on versions and are left out), the gold answers, ratings and demonstrations.
 *
 * @param gold by gold task id, the (better, worse) pairs its answer requires
 */
public record QualityData(
    List<RankingRow> rankings,
    Map<UUID, List<List<UUID>>> gold,
    List<RatingRow> ratings,
    List<DemonstrationRow> demonstrations) {

  /** One ranking: completion id to rank (1 best). */
  public record RankingRow(
      UUID rankingId,
      UUID taskId,
      UUID contractorId,
      String username,
      long timeSpentMs,
      Instant createdAt,
      Map<UUID, Integer> ranks) {}

  /** One contractor's Likert ratings of one completion (null: not given). */
  public record RatingRow(
      UUID completionId, UUID contractorId, Integer helpful, Integer truthful, Integer harmless) {}

  /** One demonstration's author and time. */
  public record DemonstrationRow(UUID contractorId, String username, long timeSpentMs) {}
}
