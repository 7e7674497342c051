package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.service.ApiProblem;
import java.util.Locale;
import java.util.UUID;

/** Query parameters read by hand, so a malformed one is a 400 naming it rather than a 404. */
public final class Params {

  private Params() {}

  /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
  public static int integer(String name, String value, int fallback, int min, int max) {
    if (value == null || value.isBlank()) return fallback;
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min && number <= max) return number;
    } catch (NumberFormatException e) {
      // named below, as an out-of-range number is
    }
    throw ApiProblem.badRequest(name, name + " must be a whole number from " + min + " to " + max);
  }

  /** true or false, in any case; {@code fallback} when absent. */
  static boolean bool(String name, String value, boolean fallback) {
    if (value == null || value.isBlank()) return fallback;
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiProblem.badRequest(name, name + " must be true or false");
    };
  }

  public static UUID uuid(String name, String value) {
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
