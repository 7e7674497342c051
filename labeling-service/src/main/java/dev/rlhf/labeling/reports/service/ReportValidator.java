package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.reports.config.ReportSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The rules every report must meet before it is stored, the same for every way in. */
@ApplicationScoped
public class ReportValidator {

  private final ReportSettings limits;

  ReportValidator(ReportSettings limits) {
    this.limits = limits;
  }

  /** Returns normally or throws {@link ReportRejected} naming the first field at fault. */
  public void check(ReportInput report) {
    name("source", report.source(), true);
    name("externalId", report.externalId(), false);
    name("modelVersion", report.modelVersion(), false);
    if (report.category() == null) throw new ReportRejected("category", "category is required");
    Integer severity = report.severity();
    if (severity == null || severity < 1 || severity > 5) {
      throw new ReportRejected("severity", "severity must be 1..5");
    }
    conversation(report.conversation());
    if (bytes(report.text()) > limits.maxTextBytes()) {
      throw new ReportRejected(
          "text", "text is longer than " + limits.maxTextBytes() + " bytes of UTF-8");
    }
    storable("text", report.text());
  }

  /** PostgreSQL cannot store a NUL character in text or JSON; refusing it keeps that a 400. */
  private static void storable(String field, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw new ReportRejected(field, field + " contains a NUL character (\\u0000)");
    }
  }

  private void conversation(List<ChatTurn> turns) {
    if (turns == null || turns.isEmpty()) {
      throw new ReportRejected("conversation", "conversation must have at least one turn");
    }
    if (turns.size() > limits.maxTurns()) {
      throw new ReportRejected(
          "conversation",
          "conversation has " + turns.size() + " turns, at most " + limits.maxTurns());
    }
    long total = 0;
    for (int i = 0; i < turns.size(); i++) {
      ChatTurn turn = turns.get(i);
      if (turn == null || turn.role() == null || turn.text() == null) {
        throw new ReportRejected("conversation[" + i + "]", "a turn needs a role and a text");
      }
      storable("conversation[" + i + "]", turn.text());
      total += bytes(turn.text());
    }
    if (total > limits.maxConversationBytes()) {
      throw new ReportRejected(
          "conversation",
          "conversation text is "
              + total
              + " bytes of UTF-8, at most "
              + limits.maxConversationBytes());
    }
  }

  private void name(String field, String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) throw new ReportRejected(field, field + " is required");
      return;
    }
    if (value.length() > limits.maxNameLength()) {
      throw new ReportRejected(
          field, field + " is longer than " + limits.maxNameLength() + " characters");
    }
    storable(field, value);
  }

  private static long bytes(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
