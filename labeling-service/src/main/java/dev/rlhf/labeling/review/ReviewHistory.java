package dev.rlhf.labeling.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.events.EventCodec;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reviews made so far, newest first: for researchers and reviewers, and each contractor's own. */
@ApplicationScoped
public class ReviewHistory {

  /**
   * One review. {@code prompt} is the last turn of the conversation and {@code answer} what the
   * contractor gave (a demonstration's response; for a ranking, the completion they put first or
   * the better response they wrote); {@code correctedRanks} maps completion ids to the reviewer's
   * ranks. {@code reviewer} is left out of a contractor's own feedback.
   */
  public record ReviewView(
      UUID id,
      UUID labelId,
      String labelType,
      UUID projectId,
      String projectName,
      String contractor,
      String reviewer,
      String outcome,
      String reason,
      String prompt,
      String answer,
      String correctedResponse,
      JsonNode correctedRanks,
      UUID originalEventId,
      UUID correctionEventId,
      Instant labelledAt,
      Instant reviewedAt) {}

  private static final String SELECT =
      "select v.id, v.label_id, v.label_type, v.project_id, p.name, c.username, r.username,"
          + " v.outcome, v.reason, pr.conversation -> -1 ->> 'text',"
          + " coalesce(d.response, case when rk.all_bad then rk.better_response else"
          + "  (select co.text from ranking_entry e join completion co on co.id = e.completion_id"
          + "   where e.ranking_id = rk.id order by e.rank, co.id limit 1) end),"
          + " v.corrected_response, v.corrected_ranks::text, v.original_event_id,"
          + " v.correction_event_id, coalesce(d.created_at, rk.created_at), v.reviewed_at"
          + " from label_review v join project p on p.id = v.project_id"
          + " join app_user c on c.id = v.contractor_id join app_user r on r.id = v.reviewer_id"
          + " left join demonstration d on d.id = v.label_id"
          + " left join ranking rk on rk.id = v.label_id"
          + " join prompt pr on pr.id = coalesce(d.prompt_id, rk.prompt_id)";

  private final EntityManager entityManager;

  ReviewHistory(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** Reviews of one project, contractor or outcome (each optional), newest first. */
  public List<ReviewView> list(
      UUID projectId, String contractor, String outcome, int limit, int offset) {
    page(limit, offset);
    LabelReview.Outcome wanted = null;
    if (outcome != null && !outcome.isBlank()) {
      try {
        wanted = LabelReview.Outcome.valueOf(outcome.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.badRequest("outcome", "outcome is ACCEPTED, REJECTED or CORRECTED");
      }
    }
    String sql =
        SELECT
            + " where true"
            + (projectId == null ? "" : " and v.project_id = :project")
            + (contractor == null || contractor.isBlank() ? "" : " and c.username = :contractor")
            + (wanted == null ? "" : " and v.outcome = :outcome")
            + " order by v.reviewed_at desc, v.id limit :limit offset :offset";
    Query query = entityManager.createNativeQuery(sql);
    if (projectId != null) query.setParameter("project", projectId);
    if (contractor != null && !contractor.isBlank())
      query.setParameter("contractor", contractor.trim());
    if (wanted != null) query.setParameter("outcome", wanted.name());
    query.setParameter("limit", limit).setParameter("offset", offset);
    return read(query, true);
  }

  /** One review by id. */
  public ReviewView one(UUID reviewId) {
    Query query = entityManager.createNativeQuery(SELECT + " where v.id = ?1");
    query.setParameter(1, reviewId);
    return read(query, true).stream()
        .findFirst()
        .orElseThrow(() -> ApiProblem.notFound("review " + reviewId));
  }

  /** A contractor's own reviewed labels, without who reviewed them. */
  public List<ReviewView> of(UUID contractorId, int limit, int offset) {
    page(limit, offset);
    Query query =
        entityManager
            .createNativeQuery(
                SELECT
                    + " where v.contractor_id = ?1 order by v.reviewed_at desc, v.id"
                    + " limit ?2 offset ?3")
            .setParameter(1, contractorId)
            .setParameter(2, limit)
            .setParameter(3, offset);
    return read(query, false);
  }

  private static void page(int limit, int offset) {
    if (limit < 1 || limit > 1000 || offset < 0) {
      throw ApiProblem.badRequest("limit", "limit is 1..1000 and offset >= 0");
    }
  }

  private static List<ReviewView> read(Query query, boolean withReviewer) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    List<ReviewView> out = new ArrayList<>();
    for (Object[] row : rows) {
      out.add(
          new ReviewView(
              (UUID) row[0],
              (UUID) row[1],
              (String) row[2],
              (UUID) row[3],
              (String) row[4],
              (String) row[5],
              withReviewer ? (String) row[6] : null,
              (String) row[7],
              (String) row[8],
              (String) row[9],
              (String) row[10],
              (String) row[11],
              json((String) row[12]),
              (UUID) row[13],
              (UUID) row[14],
              Times.instant(row[15]),
              Times.instant(row[16])));
    }
    return out;
  }

  private static JsonNode json(String text) {
    if (text == null) return null;
    try {
      return EventCodec.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
