package dev.rlhf.events.kafka;

/**
 * Thrown by a handler for an event it cannot handle yet but will (say, a training command whose
 * labels are still on their way): the loop retries it after a pause and never dead-letters it.
 */
public class RetryLater extends RuntimeException {

  public RetryLater(String reason) {
    super(reason);
  }
}
