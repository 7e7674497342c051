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

  /**
   * Every label as one row of the same columns, for filtering and ordering only: a page is chosen
   * here, from each label table's index on (project, time) merged in order, and only its rows get
   * their contractor's name and a ranking's entries ({@link #PAGE}).
   */
  private static final String LABELS =
      "select * from ("
          + " select 'DEMONSTRATION' as type, d.id, d.project_id, d.task_id, d.prompt_id,"
          + "  d.contractor_id, d.guideline_version, d.created_at, d.time_spent_ms,"
          + "  d.response as text, false as all_bad, null::uuid as completion_id,"
          + "  null::text as policy_version, null::int as helpful, null::int as truthful,"
          + "  null::int as harmless, null::jsonb as flags"
          + " from demonstration d"
          + " union all"
          + " select 'RANKING', r.id, r.project_id, r.task_id, r.prompt_id, r.contractor_id,"
          + "  r.guideline_version, r.created_at, r.time_spent_ms, r.better_response, r.all_bad,"
          + "  null, null, null, null, null, null"
          + " from ranking r"
          + " union all"
          + " select 'RATING', r.id, r.project_id, r.task_id, r.prompt_id, r.contractor_id,"
          + "  r.guideline_version, r.created_at, null, r.completion_text, false, r.completion_id,"
          + "  r.policy_version, r.helpful, r.truthful, r.harmless, r.flags"
          + " from "
          + RatingRows.SQL
          + " r) l";

  /**
   * The page's labels ({page}: the filtered, ordered and limited {@link #LABELS}), in its order.
   */
  private static final String PAGE =
      "select l.type, l.id, l.project_id, l.task_id, l.prompt_id, u.username,"
          + " l.guideline_version, l.created_at, l.time_spent_ms, l.text, l.all_bad,"
          + " case when l.type = 'RANKING' then (select json_agg(json_build_object("
          + "  'completionId', e.completion_id, 'rank', e.rank) order by e.rank)"
          + "  from ranking_entry e where e.ranking_id = l.id)::text end as ranks,"
          + " case when l.type = 'RATING' then json_build_object('completionId', l.completion_id,"
          + "  'policyVersion', l.policy_version, 'helpful', l.helpful, 'truthful', l.truthful,"
          + "  'harmless', l.harmless, 'flags', l.flags)::text end as rating"
          + " from ({page}) l join app_user u on u.id = l.contractor_id"
          + " order by l.created_at desc, l.id";

  private final AgroalDataSource dataSource;

  LabelQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<LabelSummary> browse(LabelFilter filter, int limit, int offset) {
    return browse(filter, limit, offset, null);
  }

  /**
   * A page of labels, newest first: the {@code offset}-th on, or the ones that come after the label
   * {@code after} names ({@link #cursor}), which costs the same on any page: PostgreSQL starts each
   * label table's index where the cursor points instead of reading and dropping every label before
   * it.
   */
  public List<LabelSummary> browse(LabelFilter filter, int limit, int offset, String after) {
    if (limit < 1 || limit > 1000) throw ApiProblem.invalid("limit", "limit is 1..1000");
    if (offset < 0) throw ApiProblem.invalid("offset", "offset is >= 0");
    List<Object> params = new ArrayList<>();
    String sql = LABELS + filter.where("l", params);
    if (filter.type() != null) {
      sql += " and l.type = ?";
      params.add(filter.type());
    }
    if (after != null && !after.isBlank()) {
      Object[] position = position(after);
      // The first condition alone is what lets each index start at the cursor's time.
      sql += " and l.created_at <= ? and (l.created_at < ? or l.id > ?)";
      params.add(position[0]);
      params.add(position[0]);
      params.add(position[1]);
    }
    sql = PAGE.replace("{page}", sql + " order by l.created_at desc, l.id limit ? offset ?");
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

  /** Where a label stands in the newest-first order: what {@code after} takes to page on. */
  public static String cursor(LabelSummary label) {
    return label.createdAt() + "_" + label.id();
  }

  private static Object[] position(String cursor) {
    int split = cursor.lastIndexOf('_');
    try {
      if (split < 0) throw new IllegalArgumentException("no _");
      return new Object[] {
        java.sql.Timestamp.from(Instant.parse(cursor.substring(0, split))),
        UUID.fromString(cursor.substring(split + 1))
      };
    } catch (RuntimeException e) {
      throw ApiProblem.badRequest(
          "after", "after is a label's cursor: its createdAt and id joined by _");
    }
  }
}
