package dev.rlhf.labeling.cycles;

/** Where one stage (a training run) of a cycle is. */
public enum RunState {
  /** Not requested yet: it needs the version the stage before it publishes. */
  WAITING,
  /** The command is on its way to (or with) the trainer. */
  REQUESTED,
  /** The trainer published the run's version. */
  SUCCEEDED,
  /** The trainer reported a failure; failureReason says why. */
  FAILED,
  /** Stopped by a cancellation, or never started because an earlier stage failed. */
  CANCELLED
}
