package dev.rlhf.labeling.outbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What is still in the outbox: rows waiting to be sent, and parked rows the broker refused, which
 * an admin can send again once the cause is fixed (say, the broker's size limit raised). Both
 * counts are Prometheus gauges, {@code rlhf_outbox_unsent} and {@code rlhf_outbox_parked}: alert on
 * any parked row, and on unsent rows that do not go down. Created at startup, so the gauges are
 * there from the first scrape (a bean created on first use would register them only once an admin
 * had looked at the outbox).
 */
@ApplicationScoped
@Startup
public class OutboxBacklog {

  /** A parked row as the admin page lists it. */
  public record ParkedEvent(
      long id,
      UUID eventId,
      String topic,
      String eventType,
      int payloadBytes,
      Instant createdAt,
      Instant parkedAt,
      String reason) {}

  /** Rows waiting, and the parked ones (oldest first, at most 100). */
  public record Backlog(long unsent, long parked, List<ParkedEvent> parkedEvents) {}

  private final EntityManager entityManager;
  private final AgroalDataSource dataSource;

  OutboxBacklog(EntityManager entityManager, AgroalDataSource dataSource, MeterRegistry meters) {
    this.entityManager = entityManager;
    this.dataSource = dataSource;
    Gauge.builder("rlhf.outbox.unsent", this, b -> b.countOrNaN("parked_at is null"))
        .description("outbox rows not yet published")
        .register(meters);
    Gauge.builder("rlhf.outbox.parked", this, b -> b.countOrNaN("parked_at is not null"))
        .description("outbox rows the broker refused, waiting for an admin")
        .register(meters);
  }

  @Transactional
  public Backlog backlog() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, event_id, topic, event_type, octet_length(payload::text), created_at,"
                    + " parked_at, park_reason from outbox_event"
                    + " where published_at is null and parked_at is not null order by id limit 100")
            .getResultList();
    List<ParkedEvent> parked =
        rows.stream()
            .map(
                r ->
                    new ParkedEvent(
                        ((Number) r[0]).longValue(),
                        (UUID) r[1],
                        (String) r[2],
                        (String) r[3],
                        ((Number) r[4]).intValue(),
                        (Instant) r[5],
                        (Instant) r[6],
                        (String) r[7]))
            .toList();
    return new Backlog(count("parked_at is null"), count("parked_at is not null"), parked);
  }

  /** Puts a parked row back in line; false when there is no such parked row. */
  @Transactional
  public boolean sendAgain(long id) {
    return entityManager
            .createNativeQuery(
                "update outbox_event set parked_at = null, park_reason = null"
                    + " where id = ?1 and published_at is null and parked_at is not null")
            .setParameter(1, id)
            .executeUpdate()
        == 1;
  }

  private long count(String parkedCondition) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet count =
            statement.executeQuery(
                "select count(*) from outbox_event where published_at is null and "
                    + parkedCondition)) {
      count.next();
      return count.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count outbox rows", e);
    }
  }

  /** For the gauges: a scrape while the database is away shows no number rather than failing. */
  private double countOrNaN(String parkedCondition) {
    try {
      return count(parkedCondition);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
