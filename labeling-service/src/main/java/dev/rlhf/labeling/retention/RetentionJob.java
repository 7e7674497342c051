package dev.rlhf.labeling.retention;

import dev.rlhf.events.kafka.Outages;
import dev.rlhf.labeling.cycles.LabelSnapshot;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Deletes the bookkeeping rows that only grow: published outbox rows (not label events), consumers'
 * processed-event records and submissions' idempotency keys, each past its age ({@link
 * RetentionSettings}). Deletes run in batches, one short transaction each. With several replicas
 * the batch takes a transaction-level advisory lock first and an instance that does not get it
 * stops this round: one deletes at a time, and a delete repeated by another would remove nothing.
 */
@ApplicationScoped
public class RetentionJob {

  /** Rows deleted by one round, per table. */
  public record Pruned(long outboxEvents, long processedEvents, long idempotencyKeys) {}

  private static final long LOCK = 0x726c68665f726574L; // "rlhf_ret"

  private final AgroalDataSource dataSource;
  private final RetentionSettings settings;

  RetentionJob(AgroalDataSource dataSource, RetentionSettings settings) {
    this.dataSource = dataSource;
    this.settings = settings;
  }

  @Scheduled(
      every = "${rlhf.retention.interval:1h}",
      delayed = "5m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void run() {
    try {
      Pruned pruned = prune(Instant.now(), settings.batchSize());
      if (pruned.outboxEvents() + pruned.processedEvents() + pruned.idempotencyKeys() > 0) {
        Log.infof(
            "retention: deleted %d outbox rows, %d processed events, %d idempotency keys",
            pruned.outboxEvents(), pruned.processedEvents(), pruned.idempotencyKeys());
      }
    } catch (RuntimeException e) {
      // The database being away is reported by the requests; the next round catches up.
      if (!Outages.isOutage(e)) Log.warn("retention round failed", e);
    }
  }

  /** Deletes every row past its age at {@code now}, {@code batchSize} rows per transaction. */
  public Pruned prune(Instant now, int batchSize) {
    long outbox =
        deleteAll(
            "delete from outbox_event where id in (select id from outbox_event"
                + " where published_at < ? and event_type not in "
                + LabelSnapshot.LABEL_EVENTS
                + " order by published_at limit ?)",
            now.minus(settings.outboxAge()),
            batchSize);
    long processed =
        deleteAll(
            "delete from processed_event where ctid = any(array(select ctid from processed_event"
                + " where processed_at < ? order by processed_at limit ?))",
            now.minus(settings.processedEventAge()),
            batchSize);
    long keys =
        deleteAll(
            "delete from idempotent_request where ctid = any(array(select ctid"
                + " from idempotent_request where created_at < ? order by created_at limit ?))",
            now.minus(settings.idempotencyKeyAge()),
            batchSize);
    return new Pruned(outbox, processed, keys);
  }

  /** Repeats one batch delete until a batch comes back short or another instance holds the lock. */
  private long deleteAll(String sql, Instant cutoff, int batchSize) {
    long total = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        while (true) {
          if (!locked(connection)) {
            connection.rollback();
            return total;
          }
          int deleted;
          try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            delete.setInt(2, batchSize);
            deleted = delete.executeUpdate();
          }
          connection.commit();
          total += deleted;
          if (deleted < batchSize) return total;
        }
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("retention delete failed", e);
    }
  }

  private static boolean locked(Connection connection) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }
}
