package dev.rlhf.labeling.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RetentionJobTest {

  @Inject AgroalDataSource dataSource;
  @Inject RetentionJob job;

  private final Instant now = Instant.now();
  private final Instant old = now.minus(Duration.ofDays(40));
  private final Instant recent = now.minus(Duration.ofHours(1));

  @Test
  void shouldDeleteOldPublishedRowsAndKeepLabelEventsUnsentAndRecentOnes() throws Exception {
    UUID user = UUID.randomUUID();
    try (Connection c = dataSource.getConnection()) {
      // Five old published outbox rows go, in batches of two.
      UUID[] gone = new UUID[5];
      for (int i = 0; i < gone.length; i++) gone[i] = outbox(c, "TrainingRunRequested", old, old);
      UUID label = outbox(c, "RankingSubmitted", old, old);
      UUID demonstration = outbox(c, "DemonstrationSubmitted", old, old);
      UUID fresh = outbox(c, "TrainingRunRequested", recent, recent);
      // Never published: parked, so that the running relay leaves it alone too.
      UUID parked = outbox(c, "TrainingRunRequested", old, null);
      UUID oldEvent = processed(c, old);
      UUID freshEvent = processed(c, recent);
      key(c, user, "old", old);
      key(c, user, "fresh", recent);

      RetentionJob.Pruned pruned = job.prune(now, 2);

      assertThat(pruned.outboxEvents()).isGreaterThanOrEqualTo(5);
      for (UUID id : gone) assertThat(exists(c, "outbox_event", "event_id", id)).isFalse();
      assertThat(exists(c, "outbox_event", "event_id", label)).isTrue();
      assertThat(exists(c, "outbox_event", "event_id", demonstration)).isTrue();
      assertThat(exists(c, "outbox_event", "event_id", parked)).isTrue();
      assertThat(exists(c, "outbox_event", "event_id", fresh)).isTrue();
      assertThat(exists(c, "processed_event", "event_id", oldEvent)).isFalse();
      assertThat(exists(c, "processed_event", "event_id", freshEvent)).isTrue();
      assertThat(keys(c, user)).isEqualTo("fresh");
      assertThat(pruned.processedEvents()).isGreaterThanOrEqualTo(1);
      assertThat(pruned.idempotencyKeys()).isGreaterThanOrEqualTo(1);

      // A second round, as another replica would run it, finds nothing more of these.
      assertThat(job.prune(now, 2)).isEqualTo(new RetentionJob.Pruned(0, 0, 0));
    }
  }

  @Test
  void shouldSkipARoundWhileAnotherInstanceDeletes() throws Exception {
    try (Connection other = dataSource.getConnection();
        Connection c = dataSource.getConnection()) {
      UUID oldEvent = processed(c, old);
      other.setAutoCommit(false);
      try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
        lock.setLong(1, 0x726c68665f726574L);
        lock.execute();
      }
      assertThat(job.prune(now, 100)).isEqualTo(new RetentionJob.Pruned(0, 0, 0));
      assertThat(exists(c, "processed_event", "event_id", oldEvent)).isTrue();
      other.rollback();
      assertThat(job.prune(now, 100).processedEvents()).isGreaterThanOrEqualTo(1);
      assertThat(exists(c, "processed_event", "event_id", oldEvent)).isFalse();
    }
  }

  private static UUID outbox(Connection c, String type, Instant created, Instant published)
      throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into outbox_event (event_id, topic, aggregate_key, event_type, payload,"
                + " created_at, published_at, parked_at, park_reason)"
                + " values (?, 'rlhf.test', 'k', ?, '{}', ?, ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, type);
      insert.setTimestamp(3, Timestamp.from(created));
      insert.setTimestamp(4, published == null ? null : Timestamp.from(published));
      insert.setTimestamp(5, published == null ? Timestamp.from(created) : null);
      insert.setString(6, published == null ? "refused by the broker" : null);
      insert.executeUpdate();
    }
    return id;
  }

  private static UUID processed(Connection c, Instant at) throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into processed_event (consumer, event_id, processed_at) values ('test', ?, ?)")) {
      insert.setObject(1, id);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.executeUpdate();
    }
    return id;
  }

  private static void key(Connection c, UUID user, String key, Instant at) throws Exception {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into idempotent_request (user_id, key, response, created_at)"
                + " values (?, ?, '{}', ?)")) {
      insert.setObject(1, user);
      insert.setString(2, key);
      insert.setTimestamp(3, Timestamp.from(at));
      insert.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String table, String column, UUID id)
      throws Exception {
    try (PreparedStatement select =
        c.prepareStatement("select 1 from " + table + " where " + column + " = ?")) {
      select.setObject(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  private static String keys(Connection c, UUID user) throws Exception {
    try (PreparedStatement select =
        c.prepareStatement(
            "select string_agg(key, ',' order by key) from idempotent_request where user_id = ?")) {
      select.setObject(1, user);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }
}
