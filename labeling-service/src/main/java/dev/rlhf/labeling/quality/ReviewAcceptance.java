package dev.rlhf.labeling.quality;

import java.util.Map;
import java.util.UUID;

/**
 * The share of each contractor's reviewed labels that reviewers accepted, for the quality table.
 * Computed from label review ({@link LabelReviewAcceptance}).
 */
public interface ReviewAcceptance {

  /**
   * @param projectId null: all projects
   * @return by contractor id, the acceptance rate in [0, 1]; contractors without reviewed labels
   *     are absent
   */
  Map<UUID, Double> ratesByContractor(UUID projectId);
}
