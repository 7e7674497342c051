package dev.rlhf.events.contract;

import java.util.Collection;

/** Validation shared by the event records: a malformed event must fail to decode. */
final class Require {
  private Require() {}

  static <T> T present(T value, String field) {
    if (value == null) throw new IllegalArgumentException(field + " is required");
    return value;
  }

  static String text(String value, String field) {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(field + " is required");
    return value;
  }

  static <C extends Collection<?>> C nonEmpty(C value, String field) {
    if (value == null || value.isEmpty())
      throw new IllegalArgumentException(field + " must not be empty");
    return value;
  }
}
