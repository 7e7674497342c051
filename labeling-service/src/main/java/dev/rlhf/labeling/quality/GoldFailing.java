package dev.rlhf.labeling.quality;

import dev.rlhf.labeling.service.DatasetFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Gold-failing labels are those of contractors whose gold accuracy (of the filter's project, or of
 * all projects) is below the filter's {@code minGoldAccuracy}: the same figure the quality table
 * shows, ranking pairs and reviewer-scored checklist items together. A contractor without gold
 * answers is not held against.
 */
@ApplicationScoped
public class GoldFailing {

  private final QualityService quality;

  GoldFailing(QualityService quality) {
    this.quality = quality;
  }

  /** The contractors whose labels the filter leaves out for their gold accuracy. */
  public Set<UUID> contractors(DatasetFilter filter) {
    Double min = filter.minGoldAccuracy();
    if (min == null) return Set.of();
    return quality.table(filter.projectId()).contractors().stream()
        .filter(c -> c.goldAccuracy() != null && c.goldAccuracy() < min)
        .map(QualityTable.ContractorQuality::contractorId)
        .collect(Collectors.toSet());
  }
}
