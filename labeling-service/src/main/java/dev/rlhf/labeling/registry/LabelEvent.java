package dev.rlhf.labeling.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * One label as a lineage view lists it, read from the event that announced it. {@code prompt} (the
 * last turn) and {@code response} are untrusted text. {@code response} is a demonstration's text;
 * for a ranking, the response it prefers: the completion ranked first, or, when every completion
 * was judged bad, the better response the contractor wrote (blank if none). {@code trainedVersion}
 * is the version that trained on it directly, where the listing is about versions.
 */
public record LabelEvent(
    UUID eventId,
    LabelType type,
    String projectId,
    String promptId,
    String contractor,
    String occurredAt,
    String prompt,
    String response,
    String trainedVersion) {

  /**
   * The columns {@link #read} expects, from {@code outbox_event o}, then the trained version. Left
   * joined, so an id the outbox no longer has still lists, with blanks.
   */
  public static final String COLUMNS =
      "o.event_type, o.payload->>'projectId', o.payload->>'promptId', o.payload->>'contractor',"
          + " o.payload->>'occurredAt', o.payload->'conversation'->-1->>'text',"
          + " coalesce(o.payload->>'response', case when (o.payload->>'allBad')::boolean"
          + " then o.payload->>'betterResponse' else (select c->>'text' from"
          + " jsonb_array_elements(o.payload->'completions') c order by (c->>'rank')::int"
          + " limit 1) end)";

  /** Reads a row of (event id, {@link #COLUMNS}, trained version). */
  public static LabelEvent read(ResultSet rs) throws SQLException {
    return new LabelEvent(
        rs.getObject(1, UUID.class),
        LabelType.ofEventType(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9));
  }
}
