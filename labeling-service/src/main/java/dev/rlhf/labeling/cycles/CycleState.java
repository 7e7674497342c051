package dev.rlhf.labeling.cycles;

/** Where a training cycle is in its life. */
public enum CycleState {
  /** One of its stages is requested from a trainer; the others wait for it. */
  RUNNING,
  /** Every stage published its version. */
  SUCCEEDED,
  /** A stage failed; the cycle's failure reason says which and why. Later stages never ran. */
  FAILED,
  /** A researcher stopped it; the running stage was told to stop and publishes nothing. */
  CANCELLED
}
