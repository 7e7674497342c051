package dev.rlhf.labeling.service;

import dev.rlhf.labeling.domain.CompletionRating;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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
 * Dataset numbers for researchers: volume, queue depth, agreement, who is active, ratings and their
 * flags.
 */
@ApplicationScoped
public class StatisticsService {

  /** Labels of one type made on one day (UTC). */
  public record DailyCount(LocalDate day, String type, long count) {}

  /** Open tasks of a type and the answers they still want. */
  public record QueueDepth(String type, long openTasks, long openSlots) {}

  /**
   * Mean agreement of rankings over the tasks with at least two rankings (null when none), see the
   * function ranking_task_agreement_of (the view ranking_task_agreement over all projects).
   */
  public record Agreement(Double meanAgreement, long tasksMeasured) {}

  /**
   * {@code informativePairs} counts the preference pairs the rankings give a reward model (two
   * completions of different rank and text, or a better response over a completion; events'
   * PreferencePairs); {@code ratings} counts the completion ratings; {@code flags} how many of them
   * carry each flag, every flag listed (0 when never given).
   */
  public record DatasetStatistics(
      long prompts,
      long demonstrations,
      long rankings,
      long informativePairs,
      List<DailyCount> perDay,
      List<QueueDepth> queue,
      Agreement rankingAgreement,
      long activeContractorsLast24h,
      long ratings,
      Map<CompletionRating.Flag, Long> flags) {}

  private final AgroalDataSource dataSource;

  StatisticsService(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DatasetStatistics of(UUID projectId) {
    String project = projectId == null ? "true" : "project_id = ?";
    try (Connection c = dataSource.getConnection()) {
      long prompts = count(c, "select count(*) from prompt where " + project, projectId);
      long demos = count(c, "select count(*) from demonstration where " + project, projectId);
      long rankings = count(c, "select count(*) from ranking where " + project, projectId);
      long pairs =
          count(
              c,
              "select coalesce(sum(informative_pairs), 0) from ranking where " + project,
              projectId);
      List<DailyCount> perDay = new ArrayList<>();
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
              new DailyCount(row.getObject(1, LocalDate.class), row.getString(2), row.getLong(3)));
        }
      }
      List<QueueDepth> queue = new ArrayList<>();
      try (ResultSet row =
          query(
              c,
              "select type, count(*), coalesce(sum(answers_wanted - slots_taken), 0) from task"
                  + " where state = 'OPEN' and "
                  + project
                  + " group by type order by type",
              projectId)) {
        while (row.next())
          queue.add(new QueueDepth(row.getString(1), row.getLong(2), row.getLong(3)));
      }
      Agreement agreement;
      try (ResultSet row =
          query(
              c,
              // The project's rankings only: the view over all projects, joined to a project's
              // tasks, computed every project's agreement first.
              "select avg(a.agreement)::float8, count(*) from ranking_task_agreement_of(?::uuid) a",
              projectId)) {
        row.next();
        double mean = row.getDouble(1);
        agreement = new Agreement(row.wasNull() ? null : mean, row.getLong(2));
      }
      long active =
          count(
              c,
              "select count(distinct a.contractor_id) from assignment a join task t"
                  + " on t.id = a.task_id where a.leased_at > now() - interval '24 hours' and "
                  + (projectId == null ? "true" : "t.project_id = ?"),
              projectId);
      long ratings =
          count(c, "select count(*) from " + RatingRows.SQL + " r where " + project, projectId);
      Map<CompletionRating.Flag, Long> flags = new EnumMap<>(CompletionRating.Flag.class);
      for (CompletionRating.Flag flag : CompletionRating.Flag.values()) flags.put(flag, 0L);
      try (ResultSet row =
          query(
              c,
              "select f.flag, count(*) from "
                  + RatingRows.SQL
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
    } catch (SQLException e) {
      throw new IllegalStateException("statistics query failed", e);
    }
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
