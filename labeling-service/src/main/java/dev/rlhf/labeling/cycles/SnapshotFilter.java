package dev.rlhf.labeling.cycles;

import dev.rlhf.labeling.arena.ArenaVotes;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.LabelFilter;
import java.time.Instant;
import java.util.List;

/**
 * What a cycle's snapshot holds besides the label types its stages need; recorded with the cycle.
 * Rejected labels never enter a snapshot, and a corrected label enters as its correction. Blind
 * arena votes enter only with {@code includeArenaVotes}; {@code reviewedOnly} takes accepted and
 * corrected labels alone; {@code guidelineVersion}, {@code from}, {@code to} (ISO instants, or
 * days: {@code to} includes its whole day) and {@code contractors} (usernames) narrow it as exports
 * do. Every field is optional.
 */
public record SnapshotFilter(
    Boolean includeArenaVotes,
    Boolean reviewedOnly,
    Integer guidelineVersion,
    String from,
    String to,
    List<String> contractors) {

  private static final int MAX_CONTRACTORS = 1000;

  /** The filter as recorded: checked, dates as instants, empty values left out. */
  static SnapshotFilter normalised(SnapshotFilter given) {
    if (given == null) return new SnapshotFilter(false, false, null, null, null, null);
    LabelFilter dates =
        prefixed(() -> LabelFilter.of(null, null, given.from(), given.to(), null, null, null));
    List<String> contractors =
        given.contractors() == null || given.contractors().isEmpty()
            ? null
            : given.contractors().stream().map(c -> c == null ? "" : c.trim()).toList();
    if (contractors != null && contractors.size() > MAX_CONTRACTORS) {
      throw ApiProblem.invalid(
          "snapshot.contractors", "at most " + MAX_CONTRACTORS + " contractors");
    }
    if (contractors != null && contractors.contains("")) {
      throw ApiProblem.invalid("snapshot.contractors", "a contractor's username is blank");
    }
    return new SnapshotFilter(
        Boolean.TRUE.equals(given.includeArenaVotes()),
        Boolean.TRUE.equals(given.reviewedOnly()),
        given.guidelineVersion(),
        dates.from() == null ? null : dates.from().toString(),
        dates.to() == null ? null : dates.to().toString(),
        contractors);
  }

  /**
   * Conditions (each starting with " and") on the label event {@code o} (an outbox_event row), with
   * their parameters appended to {@code params} in order; placeholders are {@code ?}.
   */
  String conditions(List<Object> params) {
    String label = "(coalesce(o.payload ->> 'demonstrationId', o.payload ->> 'rankingId'))::uuid";
    StringBuilder sql =
        new StringBuilder(
            // Rejected labels never; a corrected label only as its correction's event.
            " and not exists (select 1 from label_review v where v.label_id = "
                + label
                + " and (v.outcome = 'REJECTED' or (v.outcome = 'CORRECTED'"
                + " and v.correction_event_id <> o.event_id)))");
    if (Boolean.TRUE.equals(reviewedOnly)) {
      sql.append(" and exists (select 1 from label_review v where v.label_id = ")
          .append(label)
          .append(" and v.outcome in ('ACCEPTED', 'CORRECTED'))");
    }
    if (!Boolean.TRUE.equals(includeArenaVotes)) {
      sql.append(" and not exists (select 1 from ranking ar where ar.id =")
          .append(" (o.payload ->> 'rankingId')::uuid")
          .append(ArenaVotes.excluded("ar").replace(" and not exists", " and exists"))
          .append(")");
    }
    if (guidelineVersion != null) {
      sql.append(" and (o.payload ->> 'guidelineVersion')::int = ?");
      params.add(guidelineVersion);
    }
    if (from != null) {
      sql.append(" and (o.payload ->> 'occurredAt')::timestamptz >= ?");
      params.add(java.sql.Timestamp.from(Instant.parse(from)));
    }
    if (to != null) {
      sql.append(" and (o.payload ->> 'occurredAt')::timestamptz < ?");
      params.add(java.sql.Timestamp.from(Instant.parse(to)));
    }
    if (contractors != null) {
      sql.append(" and o.payload ->> 'contractor' in (")
          .append(String.join(", ", contractors.stream().map(c -> "?").toList()))
          .append(")");
      params.addAll(contractors);
    }
    return sql.toString();
  }

  /** Refusals of the date filter name the field inside {@code snapshot}. */
  private static LabelFilter prefixed(java.util.function.Supplier<LabelFilter> parse) {
    try {
      return parse.get();
    } catch (ApiProblem e) {
      throw new ApiProblem(e.status(), e.title(), "snapshot." + e.field(), e.getMessage());
    }
  }
}
