package dev.rlhf.labeling.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.events.EventCodec;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Browsing labels for researchers and reviewers, newest first. */
@ApplicationScoped
public class LabelQueries {

  /**
   * One label. {@code text} is the demonstration's response, the ranking's better response or the
   * rated completion's text; {@code ranks} lists a ranking's completions with their rank (1 best,
   * equal ranks tie); {@code rating} is a rating's {@code completionId, policyVersion, helpful,
   * truthful, harmless, flags} (scores 1..5, null when not given). A rating records no time spent.
   */
  public record LabelSummary(
      String type,
      UUID id,
      UUID projectId,
      UUID taskId,
      UUID promptId,
      String contractor,
      int guidelineVersion,
      Instant createdAt,
      Long timeSpentMs,
      String text,
      boolean allBad,
      JsonNode ranks,
      JsonNode rating) {}

  private static final String LABELS =
      "select * from ("
          + " select 'DEMONSTRATION' as type, d.id, d.project_id, d.task_id, d.prompt_id,"
          + "  d.contractor_id, u.username, d.guideline_version, d.created_at, d.time_spent_ms,"
          + "  d.response as text, false as all_bad, null::text as ranks, null::text as rating"
          + " from demonstration d join app_user u on u.id = d.contractor_id"
          + " union all"
          + " select 'RANKING', r.id, r.project_id, r.task_id, r.prompt_id, r.contractor_id,"
          + "  u.username, r.guideline_version, r.created_at, r.time_spent_ms,"
          + "  r.better_response, r.all_bad,"
          + "  (select json_agg(json_build_object('completionId', e.completion_id, 'rank', e.rank)"
          + "    order by e.rank) from ranking_entry e where e.ranking_id = r.id)::text, null"
          + " from ranking r join app_user u on u.id = r.contractor_id"
          + " union all"
          + " select 'RATING', r.id, r.project_id, r.task_id, r.prompt_id, r.contractor_id,"
          + "  u.username, r.guideline_version, r.created_at, null, r.completion_text, false, null,"
          + "  json_build_object('completionId', r.completion_id, 'policyVersion',"
          + "   r.policy_version, 'helpful', r.helpful, 'truthful', r.truthful, 'harmless',"
          + "   r.harmless, 'flags', r.flags)::text"
          + " from "
          + RatingRows.SQL
          + " r join app_user u on u.id = r.contractor_id) l";

  private final AgroalDataSource dataSource;

  LabelQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<LabelSummary> browse(LabelFilter filter, int limit, int offset) {
    if (limit < 1 || limit > 1000) throw ApiProblem.invalid("limit", "limit is 1..1000");
    if (offset < 0) throw ApiProblem.invalid("offset", "offset is >= 0");
    List<Object> params = new ArrayList<>();
    String sql = LABELS + filter.where("l", params);
    if (filter.type() != null) {
      sql += " and l.type = ?";
      params.add(filter.type());
    }
    sql += " order by l.created_at desc, l.id limit ? offset ?";
    params.add(limit);
    params.add(offset);
    List<LabelSummary> labels = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = Jdbc.prepare(connection, sql, params);
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        String ranks = row.getString("ranks");
        String rating = row.getString("rating");
        labels.add(
            new LabelSummary(
                row.getString("type"),
                row.getObject("id", UUID.class),
                row.getObject("project_id", UUID.class),
                row.getObject("task_id", UUID.class),
                row.getObject("prompt_id", UUID.class),
                row.getString("username"),
                row.getInt("guideline_version"),
                row.getTimestamp("created_at").toInstant(),
                row.getObject("time_spent_ms", Long.class),
                row.getString("text"),
                row.getBoolean("all_bad"),
                ranks == null ? null : EventCodec.mapper().readTree(ranks),
                rating == null ? null : EventCodec.mapper().readTree(rating)));
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("browsing labels failed", e);
    }
    return labels;
  }
}
