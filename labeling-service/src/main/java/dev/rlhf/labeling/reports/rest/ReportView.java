package dev.rlhf.labeling.reports.rest;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import dev.rlhf.labeling.reports.domain.MisbehaviorReport;
import dev.rlhf.labeling.reports.domain.ReportState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A report as reviewers see it, with the work made from it. Every text is untrusted: clients show
 * it as plain text.
 */
public record ReportView(
    UUID id,
    String source,
    String externalId,
    List<ChatTurn> conversation,
    String modelVersion,
    Category category,
    int severity,
    String text,
    ReportState state,
    int reportCount,
    Instant firstReportedAt,
    Instant lastReportedAt,
    String triagedBy,
    Instant triagedAt,
    String rejectReason,
    UUID promptId,
    UUID correctionTaskId,
    UUID completionRequestId,
    UUID rankingTaskId) {

  static ReportView of(MisbehaviorReport r, UUID rankingTaskId) {
    return new ReportView(
        r.id,
        r.source,
        r.externalId,
        r.conversation,
        r.modelVersion,
        r.category,
        r.severity,
        r.text,
        r.state,
        r.reportCount,
        r.firstReportedAt,
        r.lastReportedAt,
        r.triagedBy,
        r.triagedAt,
        r.rejectReason,
        r.promptId,
        r.correctionTaskId,
        r.completionRequestId,
        rankingTaskId);
  }
}
