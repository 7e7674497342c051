package dev.rlhf.labeling.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The consumers' side of "no label counted twice": an event id is recorded per consumer in the same
 * transaction as the event's effect, and only its first delivery has one.
 */
@ApplicationScoped
public class ProcessedEvents {

  private final EntityManager entityManager;

  ProcessedEvents(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** Records the event as processed by {@code consumer}; false when it already was. */
  public boolean firstDelivery(String consumer, UUID eventId) {
    return entityManager
            .createNativeQuery(
                "insert into processed_event (consumer, event_id) values (?1, ?2)"
                    + " on conflict do nothing")
            .setParameter(1, consumer)
            .setParameter(2, eventId)
            .executeUpdate()
        == 1;
  }

  /** Records the events as processed, in one round trip; returns those that were not before. */
  public Set<UUID> firstDeliveries(String consumer, Collection<UUID> eventIds) {
    // One array parameter, written as a PostgreSQL array literal.
    String array = eventIds.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    @SuppressWarnings("unchecked")
    List<UUID> inserted =
        entityManager
            .createNativeQuery(
                "insert into processed_event (consumer, event_id)"
                    + " select ?1, unnest(cast(?2 as uuid[])) on conflict do nothing"
                    + " returning event_id",
                UUID.class)
            .setParameter(1, consumer)
            .setParameter(2, array)
            .getResultList();
    return new HashSet<>(inserted);
  }
}
