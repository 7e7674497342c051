package dev.rlhf.labeling.reports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.MisbehaviorReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Stores reports, merging repeats. A report is a repeat when it has the source and external id of a
 * stored one, or the same conversation (by {@link ConversationHash}); a repeat raises the stored
 * report's count, last-reported time and severity instead of making a second row.
 */
@ApplicationScoped
public class ReportIntake {

  static final String CONSUMER = "labeling-service.misbehavior-reports";

  /** What happened to an incoming report: the report it is now part of, and its count. */
  public record Receipt(UUID reportId, int reportCount, boolean merged) {}

  private final EntityManager entityManager;
  private final ReportValidator validator;

  ReportIntake(EntityManager entityManager, ReportValidator validator) {
    this.entityManager = entityManager;
    this.validator = validator;
  }

  /** Checks and stores one report; throws {@link ReportRejected} and stores nothing if invalid. */
  @Transactional
  public Receipt ingest(ReportInput report) {
    validator.check(report);
    String hash = ConversationHash.of(report.conversation());
    String externalId = blankToNull(report.externalId());
    // Two arrivals of one report at once: the loser's insert finds the winner's row and merges.
    for (int attempt = 0; ; attempt++) {
      UUID existing = lockExisting(report.source(), externalId, hash);
      if (existing != null) return merge(existing, report.severity());
      UUID id = UUID.randomUUID();
      if (insert(id, report, externalId, hash)) return new Receipt(id, 1, false);
      if (attempt > 0) throw new IllegalStateException("report neither inserted nor found");
    }
  }

  /**
   * Stores a report from the Kafka topic once per event id: a redelivered event changes nothing.
   * Returns null for such a redelivery.
   */
  @Transactional
  public Receipt ingest(MisbehaviorReported event) {
    int fresh =
        entityManager
            .createNativeQuery(
                "insert into processed_event (consumer, event_id) values (?1, ?2)"
                    + " on conflict do nothing")
            .setParameter(1, CONSUMER)
            .setParameter(2, event.eventId())
            .executeUpdate();
    if (fresh == 0) return null;
    return ingest(ReportInput.of(event));
  }

  private UUID lockExisting(String source, String externalId, String hash) {
    String sql =
        "select id from misbehavior_report where conversation_hash = ?1"
            + (externalId == null ? "" : " or (source = ?2 and external_id = ?3)")
            + " order by first_reported_at limit 1 for update";
    Query query = entityManager.createNativeQuery(sql, UUID.class).setParameter(1, hash);
    if (externalId != null) query.setParameter(2, source).setParameter(3, externalId);
    @SuppressWarnings("unchecked")
    List<UUID> ids = query.getResultList();
    return ids.isEmpty() ? null : ids.get(0);
  }

  private Receipt merge(UUID id, int severity) {
    Number count =
        (Number)
            entityManager
                .createNativeQuery(
                    "update misbehavior_report set report_count = report_count + 1,"
                        + " last_reported_at = now(), severity = greatest(severity, ?2)"
                        + " where id = ?1 returning report_count")
                .setParameter(1, id)
                .setParameter(2, severity)
                .getSingleResult();
    return new Receipt(id, count.intValue(), true);
  }

  private boolean insert(UUID id, ReportInput report, String externalId, String hash) {
    return entityManager
            .createNativeQuery(
                "insert into misbehavior_report (id, source, external_id, conversation,"
                    + " conversation_hash, model_version, category, severity, text, state)"
                    + " values (?1, ?2, nullif(?3, ''), cast(?4 as jsonb), ?5, nullif(?6, ''), ?7, ?8,"
                    + " ?9, 'NEW')"
                    + " on conflict do nothing")
            .setParameter(1, id)
            .setParameter(2, report.source())
            // Typed empty strings stand for null: the driver cannot type a bare null parameter.
            .setParameter(3, externalId == null ? "" : externalId)
            .setParameter(4, json(report))
            .setParameter(5, hash)
            .setParameter(6, report.modelVersion() == null ? "" : report.modelVersion().strip())
            .setParameter(7, report.category().name())
            .setParameter(8, report.severity())
            .setParameter(9, report.text() == null ? "" : report.text())
            .executeUpdate()
        == 1;
  }

  private static String json(ReportInput report) {
    try {
      return EventCodec.mapper().writeValueAsString(report.conversation());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("conversation cannot be written as JSON", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
