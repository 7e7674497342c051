package dev.rlhf.labeling.cycles;

import dev.rlhf.labeling.service.DatasetFilter;
import java.util.List;
import java.util.UUID;

/**
 * What a cycle's snapshot holds besides the label types its stages need; recorded with the cycle.
 * The same filter as the exports ({@link DatasetFilter}): rejected labels and contractors' answers
 * to gold tasks never enter a snapshot, and a corrected label enters as its correction. Blind arena
 * votes enter only with {@code includeArenaVotes}; {@code reviewedOnly} takes accepted and
 * corrected labels alone; {@code guidelineVersion}, {@code from}, {@code to} (ISO instants, or
 * days: {@code to} includes its whole day), {@code contractors} (usernames), {@code minAgreement}
 * (rankings) and {@code minGoldAccuracy} narrow it as exports do. Every field is optional.
 */
public record SnapshotFilter(
    Boolean includeArenaVotes,
    Boolean reviewedOnly,
    Integer guidelineVersion,
    String from,
    String to,
    List<String> contractors,
    Double minAgreement,
    Double minGoldAccuracy) {

  /** The filter as recorded: checked, dates as instants, empty values left out. */
  static SnapshotFilter normalised(SnapshotFilter given) {
    if (given == null) return new SnapshotFilter(false, false, null, null, null, null, null, null);
    DatasetFilter checked = given.dataset(null);
    return new SnapshotFilter(
        checked.includeArenaVotes(),
        checked.reviewedOnly(),
        checked.guidelineVersion(),
        checked.from() == null ? null : checked.from().toString(),
        checked.to() == null ? null : checked.to().toString(),
        checked.contractors(),
        checked.minAgreement(),
        checked.minGoldAccuracy());
  }

  /** The shared dataset filter of this snapshot filter, for one project (or all: null). */
  DatasetFilter dataset(UUID projectId) {
    return DatasetFilter.parse(
        "snapshot.",
        projectId,
        from,
        to,
        guidelineVersion == null ? null : guidelineVersion.toString(),
        contractors,
        minAgreement == null ? null : minAgreement.toString(),
        Boolean.TRUE.equals(reviewedOnly),
        Boolean.TRUE.equals(includeArenaVotes),
        minGoldAccuracy == null ? null : minGoldAccuracy.toString());
  }
}
