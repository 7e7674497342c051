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
 * @param demonstrations demonstrations, answers to gold demonstration tasks apart
 * @param checklists reviewers' checklist scores of answers to gold demonstration tasks
 */
public record QualityData(
    List<RankingRow> rankings,
    Map<UUID, List<List<UUID>>> gold,
    List<RatingRow> ratings,
    List<DemonstrationRow> demonstrations,
    List<ChecklistRow> checklists) {

  /** Data without demonstration gold. */
  public QualityData(
      List<RankingRow> rankings,
      Map<UUID, List<List<UUID>>> gold,
      List<RatingRow> ratings,
      List<DemonstrationRow> demonstrations) {
    this(rankings, gold, ratings, demonstrations, List.of());
  }

  /**
   * A reviewer's score of one answer to a gold demonstration task: how many of the checklist's
   * items it meets.
   */
  public record ChecklistRow(
      UUID contractorId, String username, Instant createdAt, int met, int items) {}

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
