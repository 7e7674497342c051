package dev.rlhf.labeling.reports.service;

/**
 * A report that breaks a rule (a missing field, a limit); names the field. Over HTTP it becomes a
 * 400 problem, over Kafka a dead letter with this message as the reason.
 */
public class ReportRejected extends RuntimeException {

  private final String field;

  public ReportRejected(String field, String detail) {
    super(detail);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
