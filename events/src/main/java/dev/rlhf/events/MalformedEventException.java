package dev.rlhf.events;

/** A record that is not a valid event; it goes to the dead-letter topic with this message. */
public class MalformedEventException extends RuntimeException {
  public MalformedEventException(String reason) {
    super(reason);
  }

  public MalformedEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
