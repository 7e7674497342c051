package dev.rlhf.labeling.registry;

import dev.rlhf.labeling.service.CompletionRequestService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * After a promotion, asks the new policy for K completions of a share of every project's prompts.
 * The existing completion-request path turns the answers into ranking tasks, so contractors always
 * rank what the served model writes now.
 */
@ApplicationScoped
public class ClosedLoop {

  /** The most prompts one completion request call takes. */
  private static final int MAX_PROMPTS_PER_PROJECT = 1000;

  private final LoopSettings settings;
  private final CompletionRequestService requests;
  private final EntityManager entityManager;

  ClosedLoop(LoopSettings settings, CompletionRequestService requests, EntityManager em) {
    this.settings = settings;
    this.requests = requests;
    this.entityManager = em;
  }

  /** Requests completions in the caller's transaction; answers how many requests were made. */
  @Transactional(Transactional.TxType.MANDATORY)
  public int requestFreshCompletions(String policyVersion, String requestedBy) {
    double share = Math.max(0, Math.min(1, settings.share()));
    if (share == 0) return 0;
    int made = 0;
    List<?> projects =
        entityManager
            .createNativeQuery("select id from project order by created_at")
            .getResultList();
    for (Object project : projects) {
      UUID projectId = (UUID) project;
      long prompts =
          ((Number)
                  entityManager
                      .createNativeQuery("select count(*) from prompt where project_id = ?1")
                      .setParameter(1, projectId)
                      .getSingleResult())
              .longValue();
      int wanted = (int) Math.min(MAX_PROMPTS_PER_PROJECT, Math.ceil(share * prompts));
      if (wanted == 0) continue;
      @SuppressWarnings("unchecked")
      List<UUID> chosen =
          entityManager
              .createNativeQuery(
                  "select id from prompt where project_id = ?1 order by random() limit ?2")
              .setParameter(1, projectId)
              .setParameter(2, wanted)
              .getResultList();
      made +=
          requests
              .request(projectId, chosen, policyVersion, settings.k(), null, requestedBy)
              .size();
    }
    return made;
  }
}
