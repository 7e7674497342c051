package dev.rlhf.policy.train;

/** The run was cancelled by a researcher; nothing is published. */
public final class TrainingCancelledException extends RuntimeException {
  public TrainingCancelledException(String message) {
    super(message);
  }
}
