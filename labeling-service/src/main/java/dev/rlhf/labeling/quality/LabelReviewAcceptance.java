package dev.rlhf.labeling.quality;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Review acceptance from label review: of a contractor's reviewed labels, the share reviewers
 * accepted as they were (a corrected label counts as not accepted, like a rejected one).
 */
@ApplicationScoped
public class LabelReviewAcceptance implements ReviewAcceptance {

  private final EntityManager entityManager;

  LabelReviewAcceptance(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<UUID, Double> ratesByContractor(UUID projectId) {
    Query query =
        entityManager.createNativeQuery(
            "select contractor_id, avg(case when outcome = 'ACCEPTED' then 1.0 else 0.0 end)"
                + " from label_review"
                + (projectId == null ? "" : " where project_id = ?1")
                + " group by contractor_id");
    if (projectId != null) query.setParameter(1, projectId);
    Map<UUID, Double> rates = new HashMap<>();
    for (Object[] row : (List<Object[]>) query.getResultList()) {
      rates.put((UUID) row[0], ((Number) row[1]).doubleValue());
    }
    return rates;
  }
}
