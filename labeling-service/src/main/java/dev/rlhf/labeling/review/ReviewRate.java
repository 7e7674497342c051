package dev.rlhf.labeling.review;

import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.ProjectService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** The share of a project's labels sampled for review. */
@ApplicationScoped
public class ReviewRate {

  /** A project's rate; {@code serviceDefault} is true while the project has not set one. */
  public record RateView(UUID projectId, double reviewRate, boolean serviceDefault) {}

  /** A new rate, 0 (review only watched contractors) to 1 (review everything). */
  public record RateChange(Double reviewRate) {}

  private final ProjectService projects;
  private final ReviewSettings settings;
  private final EntityManager entityManager;

  ReviewRate(ProjectService projects, ReviewSettings settings, EntityManager entityManager) {
    this.projects = projects;
    this.settings = settings;
    this.entityManager = entityManager;
  }

  public RateView of(UUID projectId) {
    projects.find(projectId);
    @SuppressWarnings("unchecked")
    List<Number> rates =
        entityManager
            .createNativeQuery(
                "select review_rate from project_review_settings where project_id = ?1")
            .setParameter(1, projectId)
            .getResultList();
    return rates.isEmpty()
        ? new RateView(projectId, settings.defaultRate(), true)
        : new RateView(projectId, rates.get(0).doubleValue(), false);
  }

  @Transactional
  public RateView change(UUID projectId, RateChange change, String by) {
    projects.find(projectId);
    Double rate = change == null ? null : change.reviewRate();
    // Written so that NaN fails too.
    if (rate == null || !(rate >= 0 && rate <= 1)) {
      throw ApiProblem.invalid("reviewRate", "reviewRate is a share from 0 to 1");
    }
    entityManager
        .createNativeQuery(
            "insert into project_review_settings (project_id, review_rate, updated_by)"
                + " values (?1, ?2, ?3) on conflict (project_id) do update"
                + " set review_rate = excluded.review_rate, updated_by = excluded.updated_by,"
                + " updated_at = now()")
        .setParameter(1, projectId)
        .setParameter(2, rate)
        .setParameter(3, by)
        .executeUpdate();
    return of(projectId);
  }
}
