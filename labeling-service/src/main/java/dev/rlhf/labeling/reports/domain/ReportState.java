package dev.rlhf.labeling.reports.domain;

/** Where a misbehavior report is in triage. */
public enum ReportState {
  /** Waiting for a reviewer; repeats of it are merged into it and counted. */
  NEW,
  /** A reviewer turned it into labeling work: a correction task, maybe a ranking task too. */
  ACCEPTED,
  /** A reviewer decided it needs no work, and wrote why. */
  REJECTED
}
