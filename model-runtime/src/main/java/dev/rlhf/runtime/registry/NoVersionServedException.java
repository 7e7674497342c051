package dev.rlhf.runtime.registry;

/**
 * Nothing can be served for the request yet: the base network is still being prepared, or could not
 * be prepared (then retrying does not help until an operator acts).
 */
public class NoVersionServedException extends RuntimeException {

  private final boolean retryable;

  public NoVersionServedException(BasePreparation.Status base) {
    super(base.describe());
    this.retryable = base.state() != BasePreparation.State.FAILED;
  }

  /** Whether a later retry may succeed without anyone acting. */
  public boolean retryable() {
    return retryable;
  }
}
