package dev.rlhf.labeling.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers the first result of a submission per (user, Idempotency-Key). The key row is claimed
 * first in the submission's transaction: a concurrent repeat waits on it and then reads the stored
 * result; if the first attempt rolls back, the key is free again.
 */
@ApplicationScoped
public class IdempotencyKeys {

  private static final int MAX_KEY_LENGTH = 200;

  private final EntityManager entityManager;

  IdempotencyKeys(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** Claims the key; returns the stored receipt when the key was used before. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<SubmissionReceipt> claim(UUID userId, String key) {
    if (key == null) return Optional.empty();
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw ApiProblem.badRequest("Idempotency-Key", "the key must be 1-200 characters");
    }
    int claimed =
        entityManager
            .createNativeQuery(
                "insert into idempotent_request (user_id, key) values (?1, ?2)"
                    + " on conflict do nothing")
            .setParameter(1, userId)
            .setParameter(2, key)
            .executeUpdate();
    if (claimed == 1) return Optional.empty();
    @SuppressWarnings("unchecked")
    List<String> stored =
        entityManager
            .createNativeQuery(
                "select response::text from idempotent_request where user_id = ?1 and key = ?2",
                String.class)
            .setParameter(1, userId)
            .setParameter(2, key)
            .getResultList();
    try {
      return Optional.of(EventCodec.mapper().readValue(stored.get(0), SubmissionReceipt.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored idempotent response is unreadable", e);
    }
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void complete(UUID userId, String key, SubmissionReceipt receipt) {
    if (key == null) return;
    try {
      entityManager
          .createNativeQuery(
              "update idempotent_request set response = cast(?3 as jsonb)"
                  + " where user_id = ?1 and key = ?2")
          .setParameter(1, userId)
          .setParameter(2, key)
          .setParameter(3, EventCodec.mapper().writeValueAsString(receipt))
          .executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
