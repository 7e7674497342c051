package dev.rlhf.labeling.reports.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.labeling.service.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores reports, merging repeats. A report is a repeat when it has the source and external id of a
 * stored one, or the same conversation (by {@link ConversationHash}); a repeat raises the stored
 * report's count, last-reported time and severity instead of making a second row.
 */
@ApplicationScoped
public class ReportIntake {

  static final String CONSUMER = "labeling-service.misbehavior-reports";

  /**
   * Merges into the first stored report with the conversation or the source and external id, or
   * inserts a new one: one round trip per report. Parameters: 1 new id, 2 source, 3 external id (''
   * for none), 4 conversation JSON, 5 conversation hash, 6 model version ('' for none), 7 category,
   * 8 severity, 9 text.
   */
  private static final String MERGE_OR_INSERT =
      """
      with existing as (
        select id from misbehavior_report
        where conversation_hash = ?5 or (source = ?2 and external_id = nullif(?3, ''))
        order by first_reported_at limit 1 for update),
      merged as (
        update misbehavior_report r
        set report_count = r.report_count + 1, last_reported_at = now(),
            severity = greatest(r.severity, ?8)
        from existing where r.id = existing.id
        returning r.id, r.report_count),
      inserted as (
        insert into misbehavior_report (id, source, external_id, conversation, conversation_hash,
                                        model_version, category, severity, text, state)
        select ?1, ?2, nullif(?3, ''), cast(?4 as jsonb), ?5, nullif(?6, ''), ?7, ?8, ?9, 'NEW'
        where not exists (select 1 from existing)
        on conflict do nothing
        returning id, report_count)
      select id, report_count, true from merged
      union all
      select id, report_count, false from inserted
      """;

  /** What happened to an incoming report: the report it is now part of, and its count. */
  public record Receipt(UUID reportId, int reportCount, boolean merged) {}

  private final EntityManager entityManager;
  private final ReportValidator validator;
  private final ProcessedEvents processedEvents;

  ReportIntake(
      EntityManager entityManager, ReportValidator validator, ProcessedEvents processedEvents) {
    this.entityManager = entityManager;
    this.validator = validator;
    this.processedEvents = processedEvents;
  }

  /** Checks and stores one report; throws {@link ReportRejected} and stores nothing if invalid. */
  @Transactional
  public Receipt ingest(ReportInput report) {
    validator.check(report);
    return store(report);
  }

  /**
   * The same for a report sent by a signed-in person (the chat page): they are recorded as one of
   * its reporters, who never triage it nor label what is made of it.
   */
  @Transactional
  public Receipt ingest(ReportInput report, UUID reporterId) {
    Receipt receipt = ingest(report);
    entityManager
        .createNativeQuery(
            "insert into misbehavior_report_reporter (report_id, account_id) values (?1, ?2)"
                + " on conflict do nothing")
        .setParameter(1, receipt.reportId())
        .setParameter(2, reporterId)
        .executeUpdate();
    return receipt;
  }

  /**
   * Stores reports from the Kafka topic in one transaction, each once per event id, so that a
   * redelivered event, or a whole redelivered batch, changes nothing. The reports must have passed
   * the {@link ReportValidator}: the consumer refuses the others before they get here.
   */
  @Transactional
  public void ingestChecked(List<MisbehaviorReported> events) {
    Map<UUID, MisbehaviorReported> byId = new LinkedHashMap<>();
    for (MisbehaviorReported event : events) byId.putIfAbsent(event.eventId(), event);
    Set<UUID> fresh = processedEvents.firstDeliveries(CONSUMER, byId.keySet());
    for (MisbehaviorReported event : byId.values()) {
      if (fresh.contains(event.eventId())) store(ReportInput.of(event));
    }
  }

  private Receipt store(ReportInput report) {
    String hash = ConversationHash.of(report.conversation());
    String externalId =
        report.externalId() == null || report.externalId().isBlank() ? "" : report.externalId();
    // Two arrivals of one report at once: the loser's insert conflicts and finds nothing; its
    // second try sees the winner's committed row and merges.
    for (int attempt = 0; attempt < 2; attempt++) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          entityManager
              .createNativeQuery(MERGE_OR_INSERT)
              .setParameter(1, UUID.randomUUID())
              .setParameter(2, report.source())
              // Typed empty strings stand for null: the driver cannot type a bare null parameter.
              .setParameter(3, externalId)
              .setParameter(4, json(report))
              .setParameter(5, hash)
              .setParameter(6, report.modelVersion() == null ? "" : report.modelVersion().strip())
              .setParameter(7, report.category().name())
              .setParameter(8, report.severity())
              .setParameter(9, report.text() == null ? "" : report.text())
              .getResultList();
      if (!rows.isEmpty()) {
        Object[] row = rows.get(0);
        return new Receipt((UUID) row[0], ((Number) row[1]).intValue(), (Boolean) row[2]);
      }
    }
    throw new IllegalStateException("report neither inserted nor found");
  }

  private static String json(ReportInput report) {
    try {
      return EventCodec.mapper().writeValueAsString(report.conversation());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("conversation cannot be written as JSON", e);
    }
  }
}
