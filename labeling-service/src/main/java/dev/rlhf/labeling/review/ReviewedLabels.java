package dev.rlhf.labeling.review;

/**
 * What review changes in the datasets: a rejected label is left out, a corrected one is replaced by
 * its correction, and reviewed-only takes accepted and corrected labels alone. SQL pieces for a
 * query over a label table (demonstration or ranking), joined to its review as {@code lr}.
 */
public final class ReviewedLabels {

  private ReviewedLabels() {}

  /** Joins the review of the label aliased {@code alias}, if any, as {@code lr}. */
  public static String join(String alias) {
    return " left join label_review lr on lr.label_id = " + alias + ".id";
  }

  /** Conditions (each starting with " and") on the joined review. */
  public static String conditions(boolean reviewedOnly) {
    return " and (lr.outcome is null or lr.outcome <> 'REJECTED')"
        + (reviewedOnly ? " and lr.outcome in ('ACCEPTED', 'CORRECTED')" : "");
  }

  /** A demonstration's response of record: the correction when there is one. */
  public static String response(String alias) {
    return "coalesce(lr.corrected_response, " + alias + ".response)";
  }

  /** A ranking entry's rank of record ({@code e}, of completion {@code c}). */
  public static String rank(String entry, String completion) {
    return "coalesce((lr.corrected_ranks ->> "
        + completion
        + ".id::text)::int, "
        + entry
        + ".rank)";
  }
}
