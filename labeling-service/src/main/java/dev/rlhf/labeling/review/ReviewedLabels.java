package dev.rlhf.labeling.review;

/**
 * What review changes in the datasets: a corrected label is replaced by its correction (which
 * labels are left out is {@link dev.rlhf.labeling.service.DatasetFilter}'s to say). SQL pieces for
 * a query over a label table (demonstration or ranking), joined to its review as {@code lr}.
 */
public final class ReviewedLabels {

  private ReviewedLabels() {}

  /** Joins the review of the label aliased {@code alias}, if any, as {@code lr}. */
  public static String join(String alias) {
    return " left join label_review lr on lr.label_id = " + alias + ".id";
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
