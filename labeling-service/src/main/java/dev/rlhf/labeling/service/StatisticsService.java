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
   * Mean agreement of rankings over the tasks with at least two rankings (null when none): the mean
   * of the rows ranking_task_agreement_of(project) recounts, kept per task in
   * task_ranking_agreement.
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

  /**
   * Reads the figures the database keeps up to date (V83: triggers on the labels, tasks and
   * assignments append a row per change, {@link FigureCompaction} folds them): a few rows per
   * project and day whatever the project's size, instead of counting all of its rows.
   */
  public DatasetStatistics of(UUID projectId) {
    try (Connection c = dataSource.getConnection()) {
      return of(c, projectId);
    } catch (SQLException e) {
      throw new IllegalStateException("statistics query failed", e);
    }
  }

  /** The statistics of one project (null: of all) read through the given connection. */
  public static DatasetStatistics of(Connection c, UUID projectId) throws SQLException {
    String project = projectId == null ? "true" : "project_id = ?";
    long prompts = 0;
    long demos = 0;
    long rankings = 0;
    long pairs = 0;
    long ratings = 0;
    List<DailyCount> perDay = new ArrayList<>();
    try (ResultSet row =
        query(
            c,
            "select day, sum(prompts), sum(demonstrations), sum(rankings),"
                + " sum(informative_pairs), sum(ratings) from project_daily_figures where "
                + project
                + " group by day order by day",
            projectId)) {
      while (row.next()) {
        LocalDate day = row.getObject(1, LocalDate.class);
        prompts += row.getLong(2);
        demos += row.getLong(3);
        rankings += row.getLong(4);
        pairs += row.getLong(5);
        ratings += row.getLong(6);
        if (row.getLong(3) != 0) perDay.add(new DailyCount(day, "DEMONSTRATION", row.getLong(3)));
        if (row.getLong(4) != 0) perDay.add(new DailyCount(day, "RANKING", row.getLong(4)));
      }
    }
    List<QueueDepth> queue = new ArrayList<>();
    try (ResultSet row =
        query(
            c,
            "select type, sum(open_tasks), sum(open_slots) from project_queue_figures where "
                + project
                + " group by type having sum(open_tasks) <> 0 order by type",
            projectId)) {
      while (row.next())
        queue.add(new QueueDepth(row.getString(1), row.getLong(2), row.getLong(3)));
    }
    Agreement agreement;
    try (ResultSet row =
        query(
            c,
            // The mean of the tasks' agreements, as avg() over ranking_task_agreement_of gives it.
            "select (sum(agreement_sum) / nullif(sum(tasks), 0))::float8, coalesce(sum(tasks), 0)"
                + " from project_agreement_figures where "
                + project,
            projectId)) {
      row.next();
      double mean = row.getDouble(1);
      agreement = new Agreement(row.wasNull() ? null : mean, row.getLong(2));
    }
    long active;
    try (ResultSet row =
        query(
            c,
            "select count(distinct contractor_id) from project_contractor_activity"
                + " where last_leased_at > now() - interval '24 hours' and "
                + project,
            projectId)) {
      row.next();
      active = row.getLong(1);
    }
    Map<CompletionRating.Flag, Long> flags = new EnumMap<>(CompletionRating.Flag.class);
    for (CompletionRating.Flag flag : CompletionRating.Flag.values()) flags.put(flag, 0L);
    try (ResultSet row =
        query(
            c,
            "select flag, sum(ratings) from project_flag_figures where "
                + project
                + " group by flag having sum(ratings) <> 0",
            projectId)) {
      while (row.next()) {
        flags.put(CompletionRating.Flag.valueOf(row.getString(1)), row.getLong(2));
      }
    }
    return new DatasetStatistics(
        prompts, demos, rankings, pairs, perDay, queue, agreement, active, ratings, flags);
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
