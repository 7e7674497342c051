package dev.rlhf.labeling.registry;

import dev.rlhf.labeling.service.CompletionRequestService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * After a promotion, asks the new policy for K completions of a share of the prompts of the
 * projects it serves (those whose labels trained it, unless the researcher names others). The
 * existing completion-request path turns the answers into ranking tasks, so contractors rank what
 * the served model writes now, and no unrelated project gets work it never asked for.
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

  /**
   * Requests completions in the caller's transaction.
   *
   * @return the completion requests made, by project, in the order given
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Map<UUID, Integer> requestFreshCompletions(
      String policyVersion, List<UUID> projects, String requestedBy) {
    Map<UUID, Integer> made = new LinkedHashMap<>();
    double share = Math.max(0, Math.min(1, settings.share()));
    for (UUID projectId : projects) {
      long prompts =
          ((Number)
                  entityManager
                      .createNativeQuery(
                          "select count(*) from prompt where project_id = ?1 and not held_out")
                      .setParameter(1, projectId)
                      .getSingleResult())
              .longValue();
      int wanted = (int) Math.min(MAX_PROMPTS_PER_PROJECT, Math.ceil(share * prompts));
      if (wanted == 0) {
        made.put(projectId, 0);
        continue;
      }
      @SuppressWarnings("unchecked")
      List<UUID> chosen =
          entityManager
              .createNativeQuery(
                  "select id from prompt where project_id = ?1 and not held_out"
                      + " order by random() limit ?2")
              .setParameter(1, projectId)
              .setParameter(2, wanted)
              .getResultList();
      made.put(
          projectId,
          requests
              .request(projectId, chosen, policyVersion, settings.k(), null, requestedBy)
              .size());
    }
    return made;
  }
}
