package dev.rlhf.events.contract;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

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

  /** The constant of {@code type} named {@code name} in any case. */
  static <E extends Enum<E>> E oneOf(Class<E> type, String name, String field) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name.trim().toUpperCase(Locale.ROOT))) return constant;
    }
    throw new IllegalArgumentException(
        field + " must be one of " + Arrays.toString(type.getEnumConstants()) + ", not " + name);
  }
}
