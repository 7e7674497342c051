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

  static Integer integer(String name, String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(name, name + " is not a whole number");
    }
  }

  /** A number from 0 to 1. */
  static Double fraction(String name, String value) {
    if (value == null || value.isBlank()) return null;
    double parsed;
    try {
      parsed = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(name, name + " is not a number");
    }
    // Written so that NaN fails too.
    if (!(parsed >= 0 && parsed <= 1)) {
      throw ApiProblem.invalid(name, name + " is between 0 and 1");
    }
    return parsed;
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
