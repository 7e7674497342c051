package dev.rlhf.labeling.review;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads a timestamp column of a native query, whichever Java type the driver gave it. */
final class Times {

  private Times() {}

  static Instant instant(Object value) {
    if (value == null) return null;
    if (value instanceof Instant i) return i;
    if (value instanceof Timestamp t) return t.toInstant();
    if (value instanceof OffsetDateTime o) return o.toInstant();
    throw new IllegalStateException("not a time: " + value.getClass().getSimpleName());
  }
}
