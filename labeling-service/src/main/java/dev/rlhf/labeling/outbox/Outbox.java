package dev.rlhf.labeling.outbox;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.PlatformEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Records an event in the caller's transaction. It reaches Kafka only if that transaction commits
 * (the relay publishes it afterwards), so state and events never disagree.
 */
@ApplicationScoped
public class Outbox {

  private final EntityManager entityManager;

  Outbox(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void record(PlatformEvent event) {
    entityManager
        .createNativeQuery(
            "insert into outbox_event (event_id, topic, aggregate_key, event_type, payload)"
                + " values (?1, ?2, ?3, ?4, cast(?5 as jsonb))")
        .setParameter(1, event.eventId())
        .setParameter(2, event.topic().topicName())
        .setParameter(3, event.key())
        .setParameter(4, event.getClass().getSimpleName())
        .setParameter(5, EventCodec.toJson(event))
        .executeUpdate();
  }
}
