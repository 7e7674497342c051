package dev.rlhf.labeling;

import dev.rlhf.labeling.domain.CompletionRating;
import dev.rlhf.labeling.service.StatisticsService;
import dev.rlhf.labeling.service.StatisticsService.DatasetStatistics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The dashboard statistics recounted from all of a project's rows, with the queries the service ran
 * before it kept the figures (V83): what the kept figures must equal, in tests, and the "before" of
 * the statistics benchmark.
 */
public final class StatisticsRecount {

  private static final String RATINGS =
      "(select cr.id, t.project_id, a.task_id, t.prompt_id, cr.contractor_id,"
          + " a.guideline_version, cr.created_at, cr.completion_id, c.text as completion_text,"
          + " c.policy_version, cr.helpful, cr.truthful, cr.harmless, cr.flags"
          + " from completion_rating cr join assignment a on a.id = cr.assignment_id"
          + " join task t on t.id = a.task_id join completion c on c.id = cr.completion_id)";

  private StatisticsRecount() {}

  public static DatasetStatistics of(Connection c, UUID projectId) throws SQLException {
    String project = projectId == null ? "true" : "project_id = ?";
    long prompts = count(c, "select count(*) from prompt where " + project, projectId);
    long demos = count(c, "select count(*) from demonstration where " + project, projectId);
    long rankings = count(c, "select count(*) from ranking where " + project, projectId);
    long pairs =
        count(
            c,
            "select coalesce(sum(informative_pairs), 0) from ranking where " + project,
            projectId);
    List<StatisticsService.DailyCount> perDay = new ArrayList<>();
    try (ResultSet row =
        query(
            c,
            "select day, type, count(*) from ("
                + " select (created_at at time zone 'UTC')::date as day, 'DEMONSTRATION' as type"
                + " from demonstration where "
                + project
                + " union all select (created_at at time zone 'UTC')::date, 'RANKING'"
                + " from ranking where "
                + project
                + ") l group by day, type order by day, type",
            projectId)) {
      while (row.next()) {
        perDay.add(
            new StatisticsService.DailyCount(
                row.getObject(1, LocalDate.class), row.getString(2), row.getLong(3)));
      }
    }
    List<StatisticsService.QueueDepth> queue = new ArrayList<>();
    try (ResultSet row =
        query(
            c,
            "select type, count(*), coalesce(sum(answers_wanted - slots_taken), 0) from task"
                + " where state = 'OPEN' and "
                + project
                + " group by type order by type",
            projectId)) {
      while (row.next())
        queue.add(
            new StatisticsService.QueueDepth(row.getString(1), row.getLong(2), row.getLong(3)));
    }
    StatisticsService.Agreement agreement;
    try (ResultSet row =
        query(
            c,
            // The project's rankings only: the view over all projects, joined to a project's
            // tasks, computed every project's agreement first.
            "select avg(a.agreement)::float8, count(*) from ranking_task_agreement_of(?::uuid) a",
            projectId)) {
      row.next();
      double mean = row.getDouble(1);
      agreement = new StatisticsService.Agreement(row.wasNull() ? null : mean, row.getLong(2));
    }
    long active =
        count(
            c,
            "select count(distinct a.contractor_id) from assignment a join task t"
                + " on t.id = a.task_id where a.leased_at > now() - interval '24 hours' and "
                + (projectId == null ? "true" : "t.project_id = ?"),
            projectId);
    long ratings = count(c, "select count(*) from " + RATINGS + " r where " + project, projectId);
    Map<CompletionRating.Flag, Long> flags = new EnumMap<>(CompletionRating.Flag.class);
    for (CompletionRating.Flag flag : CompletionRating.Flag.values()) flags.put(flag, 0L);
    try (ResultSet row =
        query(
            c,
            "select f.flag, count(*) from "
                + RATINGS
                + " r cross join jsonb_array_elements_text(r.flags) f(flag) where "
                + project
                + " group by f.flag",
            projectId)) {
      while (row.next()) {
        flags.put(CompletionRating.Flag.valueOf(row.getString(1)), row.getLong(2));
      }
    }
    return new DatasetStatistics(
        prompts, demos, rankings, pairs, perDay, queue, agreement, active, ratings, flags);
  }

  private static long count(Connection c, String sql, UUID projectId) throws SQLException {
    try (ResultSet row = query(c, sql, projectId)) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * Binds the one project id to every placeholder (the filters repeat it); the caller closes the
   * result set's statement.
   */
  private static ResultSet query(Connection c, String sql, UUID projectId) throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    statement.closeOnCompletion();
    int placeholders = (int) sql.chars().filter(ch -> ch == '?').count();
    for (int i = 0; i < placeholders; i++) statement.setObject(i + 1, projectId);
    return statement.executeQuery();
  }
}
