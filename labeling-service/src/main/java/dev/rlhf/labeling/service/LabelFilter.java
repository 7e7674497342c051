package dev.rlhf.labeling.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which labels to browse or export. Every field is optional; dates are ISO instants or days (a day
 * in {@code to} includes that whole day).
 */
public record LabelFilter(
    UUID projectId,
    String type,
    Instant from,
    Instant to,
    String contractor,
    Integer guidelineVersion,
    Double minAgreement) {

  /** The kinds of label the data browser shows. */
  public static final List<String> TYPES = List.of("DEMONSTRATION", "RANKING", "RATING");

  public static LabelFilter of(
      UUID projectId,
      String type,
      String from,
      String to,
      String contractor,
      String guidelineVersion,
      String minAgreement) {
    String kind = type == null || type.isBlank() ? null : type.trim().toUpperCase();
    if (kind != null && !TYPES.contains(kind)) {
      throw ApiProblem.invalid("type", "type is one of " + String.join(", ", TYPES));
    }
    return new LabelFilter(
        projectId,
        kind,
        instant("from", from, false),
        instant("to", to, true),
        contractor == null || contractor.isBlank() ? null : contractor,
        wholeNumber("guidelineVersion", guidelineVersion),
        fraction("minAgreement", minAgreement));
  }

  private static Integer wholeNumber(String field, String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(field, field + " is not a whole number");
    }
  }

  /** A number from 0 to 1. */
  static Double fraction(String field, String value) {
    if (value == null || value.isBlank()) return null;
    double parsed;
    try {
      parsed = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(field, field + " is not a number");
    }
    // Written so that NaN fails too.
    if (!(parsed >= 0 && parsed <= 1)) {
      throw ApiProblem.invalid(field, field + " is between 0 and 1");
    }
    return parsed;
  }

  private static Instant instant(String field, String value, boolean endOfDay) {
    if (value == null || value.isBlank()) return null;
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        LocalDate day = LocalDate.parse(value);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw ApiProblem.badRequest(field, field + " must be a date (2026-01-31) or an instant");
      }
    }
  }

  /** SQL conditions on a label table aliased {@code alias}, and their parameters, in order. */
  public String where(String alias, List<Object> params) {
    List<String> conditions = new ArrayList<>();
    if (projectId != null) {
      conditions.add(alias + ".project_id = ?");
      params.add(projectId);
    }
    if (from != null) {
      conditions.add(alias + ".created_at >= ?");
      params.add(java.sql.Timestamp.from(from));
    }
    if (to != null) {
      conditions.add(alias + ".created_at < ?");
      params.add(java.sql.Timestamp.from(to));
    }
    if (guidelineVersion != null) {
      conditions.add(alias + ".guideline_version = ?");
      params.add(guidelineVersion);
    }
    if (contractor != null) {
      conditions.add(alias + ".contractor_id = (select id from app_user where username = ?)");
      params.add(contractor);
    }
    return conditions.isEmpty() ? " where true" : " where " + String.join(" and ", conditions);
  }
}
