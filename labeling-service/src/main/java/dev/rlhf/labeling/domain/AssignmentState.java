package dev.rlhf.labeling.domain;

/** Where a leased slot of a task is. */
public enum AssignmentState {
  /** Leased to a contractor until the lease expires; they may submit or skip. */
  ACTIVE,
  /** The contractor submitted their answer; it counts towards the task's overlap. */
  SUBMITTED,
  /** The contractor declined, with a reason; the slot went back to the pool. */
  SKIPPED,
  /** The lease ran out before a submission; the slot went back to the pool. */
  EXPIRED
}
