package dev.rlhf.labeling.quality;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.labeling.quality.QualityData.ChecklistRow;
import dev.rlhf.labeling.quality.QualityData.DemonstrationRow;
import dev.rlhf.labeling.quality.QualityData.RankingRow;
import dev.rlhf.labeling.quality.QualityData.RatingRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads what the quality figures are computed from, for one project or all. */
@ApplicationScoped
class QualityQueries {

  private static final TypeReference<List<List<UUID>>> PAIRS = new TypeReference<>() {};

  private final EntityManager entityManager;
  private final ObjectMapper json;

  QualityQueries(EntityManager entityManager, ObjectMapper json) {
    this.entityManager = entityManager;
    this.json = json;
  }

  QualityData load(UUID projectId) {
    return new QualityData(
        rankings(projectId),
        gold(projectId),
        ratings(projectId),
        demos(projectId),
        checklists(projectId));
  }

  private List<RankingRow> rankings(UUID projectId) {
    List<Object[]> rows =
        rows(
            "select r.id, r.task_id, r.contractor_id, u.username, r.time_spent_ms, r.created_at,"
                + " e.completion_id, e.rank"
                + " from ranking r join task t on t.id = r.task_id"
                + " join app_user u on u.id = r.contractor_id"
                + " join ranking_entry e on e.ranking_id = r.id"
                + " where t.type = 'RANKING'"
                + (projectId == null ? "" : " and r.project_id = ?1")
                + " order by r.created_at, r.id",
            projectId);
    Map<UUID, RankingRow> byId = new LinkedHashMap<>();
    for (Object[] row : rows) {
      UUID id = (UUID) row[0];
      RankingRow ranking =
          byId.computeIfAbsent(
              id,
              k ->
                  new RankingRow(
                      id,
                      (UUID) row[1],
                      (UUID) row[2],
                      (String) row[3],
                      ((Number) row[4]).longValue(),
                      instant(row[5]),
                      new LinkedHashMap<>()));
      ranking.ranks().put((UUID) row[6], ((Number) row[7]).intValue());
    }
    return new ArrayList<>(byId.values());
  }

  private Map<UUID, List<List<UUID>>> gold(UUID projectId) {
    Map<UUID, List<List<UUID>>> gold = new LinkedHashMap<>();
    for (Object[] row :
        rows(
            "select task_id, required_pairs::text, 0 from gold_task"
                + (projectId == null ? "" : " where project_id = ?1"),
            projectId)) {
      try {
        gold.put((UUID) row[0], json.readValue((String) row[1], PAIRS));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return gold;
  }

  private List<RatingRow> ratings(UUID projectId) {
    List<RatingRow> out = new ArrayList<>();
    for (Object[] row :
        rows(
            "select cr.completion_id, cr.contractor_id, cr.helpful, cr.truthful, cr.harmless"
                + " from completion_rating cr join assignment a on a.id = cr.assignment_id"
                + " join task t on t.id = a.task_id where t.type <> 'COMPARISON'"
                + (projectId == null ? "" : " and t.project_id = ?1"),
            projectId)) {
      out.add(
          new RatingRow(
              (UUID) row[0], (UUID) row[1], integer(row[2]), integer(row[3]), integer(row[4])));
    }
    return out;
  }

  private List<DemonstrationRow> demos(UUID projectId) {
    List<DemonstrationRow> out = new ArrayList<>();
    for (Object[] row :
        rows(
            "select d.contractor_id, u.username, d.time_spent_ms from demonstration d"
                + " join app_user u on u.id = d.contractor_id"
                + " where not exists (select 1 from gold_task g where g.task_id = d.task_id)"
                + (projectId == null ? "" : " and d.project_id = ?1"),
            projectId)) {
      out.add(new DemonstrationRow((UUID) row[0], (String) row[1], ((Number) row[2]).longValue()));
    }
    return out;
  }

  /** Each scored answer to a gold demonstration task: items met of the checklist's items. */
  private List<ChecklistRow> checklists(UUID projectId) {
    List<ChecklistRow> out = new ArrayList<>();
    for (Object[] row :
        rows(
            "select d.contractor_id, u.username, d.created_at,"
                + " (select count(*) from jsonb_array_elements(v.checklist_scores) s"
                + "   where s = 'true'::jsonb),"
                + " jsonb_array_length(v.checklist_scores)"
                + " from label_review v join demonstration d on d.id = v.label_id"
                + " join app_user u on u.id = d.contractor_id"
                + " where v.checklist_scores is not null"
                + (projectId == null ? "" : " and d.project_id = ?1")
                + " order by d.created_at, d.id",
            projectId)) {
      out.add(
          new ChecklistRow(
              (UUID) row[0],
              (String) row[1],
              instant(row[2]),
              ((Number) row[3]).intValue(),
              ((Number) row[4]).intValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> rows(String sql, UUID projectId) {
    Query query = entityManager.createNativeQuery(sql);
    if (projectId != null) query.setParameter(1, projectId);
    return query.getResultList();
  }

  private static Integer integer(Object value) {
    return value == null ? null : ((Number) value).intValue();
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) return i;
    if (value instanceof OffsetDateTime o) return o.toInstant();
    if (value instanceof java.sql.Timestamp t) return t.toInstant();
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
