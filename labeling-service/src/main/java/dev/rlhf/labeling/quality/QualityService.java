package dev.rlhf.labeling.quality;

import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/** The contractor quality table, and one contractor's own row of it. */
@ApplicationScoped
public class QualityService {

  private final QualityQueries queries;
  private final ReviewAcceptance review;
  private final QualitySettings settings;

  QualityService(QualityQueries queries, ReviewAcceptance review, QualitySettings settings) {
    this.queries = queries;
    this.review = review;
    this.settings = settings;
  }

  /** The table under the configured thresholds; projectId null: all projects. */
  @Transactional
  public QualityTable table(UUID projectId) {
    return table(projectId, TrustRule.of(settings));
  }

  @Transactional
  public QualityTable table(UUID projectId, TrustRule rule) {
    if (projectId != null && Project.findById(projectId) == null) {
      throw ApiProblem.notFound("project " + projectId);
    }
    return QualityFigures.compute(
        projectId, queries.load(projectId), review.ratesByContractor(projectId), rule);
  }

  /** The contractor's own figures; empty when they have answered nothing here yet. */
  @Transactional
  public Optional<QualityTable.ContractorQuality> own(UUID projectId, UUID contractorId) {
    return table(projectId).contractors().stream()
        .filter(c -> c.contractorId().equals(contractorId))
        .findFirst();
  }
}
