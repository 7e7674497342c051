package dev.rlhf.labeling.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/** The place one completion got in a ranking: 1 is best, equal places are ties. */
@Embeddable
public class RankedCompletion {

  @Column(name = "completion_id")
  public UUID completionId;

  public int rank;

  public RankedCompletion() {}

  public RankedCompletion(UUID completionId, int rank) {
    this.completionId = completionId;
    this.rank = rank;
  }
}
