package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import java.util.List;

/**
 * One report as it arrives, whatever the path (HTTP, Kafka, chat page); checked by {@link
 * ReportValidator} before anything is stored.
 */
public record ReportInput(
    String source,
    String externalId,
    List<ChatTurn> conversation,
    String modelVersion,
    Category category,
    Integer severity,
    String text) {

  public static ReportInput of(MisbehaviorReported event) {
    return new ReportInput(
        event.source(),
        event.externalId(),
        event.conversation(),
        event.modelVersion(),
        event.category(),
        event.severity(),
        event.text());
  }
}
