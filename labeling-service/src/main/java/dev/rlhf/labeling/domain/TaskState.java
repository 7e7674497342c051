package dev.rlhf.labeling.domain;

/** Where a task is in its life. */
public enum TaskState {
  /** Wants more answers: free slots are handed out to contractors by priority. */
  OPEN,
  /** Received all the answers it wanted; no more slots are handed out. */
  COMPLETE,
  /** Withdrawn by a researcher; leases still held may not submit, its labels stay. */
  CANCELLED
}
