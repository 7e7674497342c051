package dev.rlhf.labeling.outbox;

import dev.rlhf.events.kafka.EventPublisher;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka in id order and marks them published.
 *
 * <p>A transaction-scoped advisory lock makes one relay active at a time even with several service
 * instances, which keeps the order per aggregate. If the broker is down the batch rolls back and is
 * retried; submissions keep succeeding meanwhile. A crash between publish and mark republishes the
 * batch, which idempotent consumers absorb (at-least-once).
 */
@ApplicationScoped
public class OutboxRelay {

  private static final long RELAY_LOCK = 0x52_4c_48_46_4f_42L; // "RLHFOB"
  private static final int BATCH = 500;

  private final EntityManager entityManager;
  private final EventPublisher publisher;

  OutboxRelay(EntityManager entityManager, EventPublisher publisher) {
    this.entityManager = entityManager;
    this.publisher = publisher;
  }

  @Scheduled(
      every = "${rlhf.outbox.poll-interval:0.2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void relay() {
    try {
      while (publishBatch() == BATCH) {
        // keep draining a backlog without waiting for the next tick
      }
    } catch (RuntimeException e) {
      Log.warnf("outbox relay paused, will retry: %s", e.getMessage());
    }
  }

  /** Publishes up to one batch; returns how many rows it published. */
  @Transactional
  int publishBatch() {
    boolean locked =
        (Boolean)
            entityManager
                .createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK)
                .getSingleResult();
    if (!locked) return 0;
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, event_id, topic, aggregate_key, event_type, payload::text"
                    + " from outbox_event where published_at is null order by id limit ?1")
            .setParameter(1, BATCH)
            .getResultList();
    if (rows.isEmpty()) return 0;
    List<Future<?>> sends = new ArrayList<>(rows.size());
    List<Long> ids = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      ids.add(((Number) row[0]).longValue());
      sends.add(
          publisher.publishJson(
              (String) row[2],
              (String) row[3],
              row[1].toString(),
              (String) row[4],
              ((String) row[5]).getBytes(StandardCharsets.UTF_8)));
    }
    for (Future<?> send : sends) {
      try {
        send.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("broker did not acknowledge the outbox batch", e);
      }
    }
    entityManager
        .createNativeQuery("update outbox_event set published_at = now() where id in (?1)")
        .setParameter(1, ids)
        .executeUpdate();
    return rows.size();
  }
}
