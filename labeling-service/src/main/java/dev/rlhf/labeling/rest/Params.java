package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.service.ApiProblem;
import java.util.Locale;
import java.util.UUID;

/** Query parameters read by hand, so a malformed one is a 400 naming it rather than a 404. */
final class Params {

  private Params() {}

  static UUID uuid(String name, String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return UUID.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(name, name + " is not a UUID");
    }
  }

  static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
    if (value == null || value.isBlank()) return null;
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(
          name, name + " is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }
}
