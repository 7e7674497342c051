package dev.rlhf.labeling.service;

import dev.rlhf.events.kafka.Outages;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Folds the rows the dashboard figures' triggers append (V83: one per change) into one per project
 * and day, type, flag or contractor, so a statistics request sums a few rows plus the changes since
 * the last round. Safe beside submissions and beside another replica's round (see
 * compact_project_figures); a round that does not run only leaves more rows to sum, never a wrong
 * figure.
 */
@ApplicationScoped
public class FigureCompaction {

  private final AgroalDataSource dataSource;

  FigureCompaction(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Scheduled(
      every = "${rlhf.statistics.compaction-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void run() {
    try {
      compact();
    } catch (RuntimeException e) {
      // The database being away is reported by the requests; the next round catches up.
      if (!Outages.isOutage(e)) Log.warn("statistics compaction failed", e);
    }
  }

  /** Folds every project's figure rows; returns how many rows fewer there are. */
  public long compact() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet removed = s.executeQuery("select compact_project_figures()")) {
      removed.next();
      return removed.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("statistics compaction failed", e);
    }
  }
}
