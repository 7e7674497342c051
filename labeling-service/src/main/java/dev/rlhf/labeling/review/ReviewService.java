package dev.rlhf.labeling.review;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.PreferencePairs;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.labeling.domain.Demonstration;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Ranking;
import dev.rlhf.labeling.domain.SubmittedLabel;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.quality.gold.GoldTask;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.RankingService;
import dev.rlhf.labeling.service.TextLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Records a reviewer's verdict. A correction is announced to the trainers as a new label event of
 * the same label (same demonstration or ranking id, the reviewer's text or order): training
 * snapshots frozen from then on take the correction instead of the original, and versions already
 * trained on the original keep it in their lineage.
 */
@ApplicationScoped
public class ReviewService {

  /**
   * What a reviewer sends: the label, the decision (ACCEPT, REJECT, CORRECT), the reason (required
   * to reject), and for a correction the new response (a demonstration) or the new order (a
   * ranking: groups of completion ids, best first; a group of several is a tie). An answer to a
   * gold demonstration task also needs {@code checklist}: whether it meets each item of the task's
   * checklist, in order.
   */
  public record Decision(
      UUID labelId,
      String decision,
      String reason,
      String correctedResponse,
      List<List<UUID>> correctedOrder,
      List<Boolean> checklist) {

    public Decision(
        UUID labelId,
        String decision,
        String reason,
        String correctedResponse,
        List<List<UUID>> correctedOrder) {
      this(labelId, decision, reason, correctedResponse, correctedOrder, null);
    }
  }

  private final Outbox outbox;
  private final TextLimits texts;
  private final EntityManager entityManager;

  ReviewService(Outbox outbox, TextLimits texts, EntityManager entityManager) {
    this.outbox = outbox;
    this.texts = texts;
    this.entityManager = entityManager;
  }

  @Transactional
  public LabelReview decide(UUID reviewerId, Decision input) {
    if (input == null) throw ApiProblem.invalid("labelId", "a JSON body is required");
    LabelReview.Outcome outcome = outcome(input.decision());
    SubmittedLabel label = ReviewQueue.find(input.labelId());
    if (label.contractorId.equals(reviewerId)) {
      throw new ApiProblem(403, "Own label", "labelId", "a reviewer cannot review their own label");
    }
    // One review per label; the row lock makes two reviewers at once one 409.
    entityManager
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(cast(?1 as text)))")
        .setParameter(1, label.id)
        .getSingleResult();
    if (LabelReview.count("labelId", label.id) > 0) {
      throw ApiProblem.conflict("labelId", "this label was reviewed already");
    }
    Task task = Task.findById(label.taskId);
    if (isArenaVote(task.id)) {
      throw ApiProblem.invalid("labelId", "blind arena votes are not reviewed");
    }
    String reason = texts.limit("reason", input.reason());
    if (reason != null && reason.isBlank()) reason = null;
    if (outcome == LabelReview.Outcome.REJECTED && reason == null) {
      throw ApiProblem.invalid("reason", "say why the label is rejected");
    }
    LabelReview review = new LabelReview();
    review.id = UUID.randomUUID();
    review.labelId = label.id;
    review.labelType = label instanceof Ranking ? "RANKING" : "DEMONSTRATION";
    review.projectId = label.projectId;
    review.contractorId = label.contractorId;
    review.reviewerId = reviewerId;
    review.outcome = outcome;
    review.reason = reason;
    review.reviewedAt = Instant.now();
    review.originalEventId = originalEvent(label.id);
    review.checklistScores = checklistScores(label, input.checklist());
    if (outcome == LabelReview.Outcome.CORRECTED) correct(review, label, task, input);
    else if (input.correctedResponse() != null || input.correctedOrder() != null) {
      String field = input.correctedResponse() != null ? "correctedResponse" : "correctedOrder";
      throw ApiProblem.invalid(field, "a correction goes with decision CORRECT only");
    }
    review.persist();
    return review;
  }

  private void correct(LabelReview review, SubmittedLabel label, Task task, Decision input) {
    Prompt prompt = Prompt.findById(label.promptId);
    String contractor = UserAccount.<UserAccount>findById(label.contractorId).username;
    UUID eventId = UUID.randomUUID();
    if (label instanceof Demonstration demonstration) {
      if (input.correctedOrder() != null) {
        throw ApiProblem.invalid("correctedOrder", "a demonstration is corrected by its response");
      }
      String response = texts.require("correctedResponse", input.correctedResponse());
      if (response.equals(demonstration.response)) {
        throw ApiProblem.invalid(
            "correctedResponse", "the corrected response is the same as the original");
      }
      review.correctedResponse = response;
      outbox.record(
          new DemonstrationSubmitted(
              eventId,
              review.reviewedAt,
              demonstration.id,
              label.projectId,
              label.promptId,
              prompt.conversation,
              response,
              demonstration.editedFromCompletionId,
              label.guidelineVersion,
              contractor));
    } else {
      Ranking ranking = (Ranking) label;
      if (input.correctedResponse() != null) {
        throw ApiProblem.invalid("correctedResponse", "a ranking is corrected by its order");
      }
      if (input.correctedOrder() == null || input.correctedOrder().isEmpty()) {
        throw ApiProblem.invalid("correctedOrder", "give the corrected order of the completions");
      }
      Map<UUID, Integer> ranks;
      try {
        ranks =
            RankingService.ranks(
                new RankingService.RankingInput(input.correctedOrder(), false, null, null),
                task.completions);
      } catch (ApiProblem e) {
        throw ApiProblem.invalid("correctedOrder", e.getMessage());
      }
      List<RankingSubmitted.RankedCompletion> ranked =
          task.completions.stream()
              .map(
                  c ->
                      new RankingSubmitted.RankedCompletion(
                          c.id, c.text, c.policyVersion, ranks.get(c.id)))
              .toList();
      review.correctedRanks = ranks;
      review.correctedInformativePairs =
          PreferencePairs.of(
                  ranked.stream().map(c -> new PreferencePairs.Ranked(c.text(), c.rank())).toList(),
                  ranking.allBad,
                  ranking.betterResponse)
              .size();
      outbox.record(
          new RankingSubmitted(
              eventId,
              review.reviewedAt,
              ranking.id,
              label.projectId,
              label.promptId,
              prompt.conversation,
              ranked,
              ranking.allBad,
              ranking.betterResponse,
              label.guidelineVersion,
              contractor));
    }
    review.correctionEventId = eventId;
  }

  /** The checklist verdicts an answer to a gold demonstration task needs, and no other label. */
  private static List<Boolean> checklistScores(SubmittedLabel label, List<Boolean> given) {
    List<String> checklist =
        label instanceof Demonstration
            ? GoldTask.<GoldTask>findByIdOptional(label.taskId)
                .map(GoldTask::checklist)
                .orElse(null)
            : null;
    if (checklist == null) {
      if (given != null) {
        throw ApiProblem.invalid(
            "checklist", "only answers to gold demonstration tasks are scored on a checklist");
      }
      return null;
    }
    if (given == null || given.size() != checklist.size() || given.contains(null)) {
      throw ApiProblem.invalid(
          "checklist",
          "score each of the gold task's " + checklist.size() + " checklist items: met or not");
    }
    return List.copyOf(given);
  }

  private boolean isArenaVote(UUID taskId) {
    return !entityManager
        .createNativeQuery("select 1 from arena_match where task_id = ?1")
        .setParameter(1, taskId)
        .getResultList()
        .isEmpty();
  }

  private UUID originalEvent(UUID labelId) {
    @SuppressWarnings("unchecked")
    List<UUID> ids =
        entityManager
            .createNativeQuery(
                "select event_id from outbox_event"
                    + " where event_type in ('DemonstrationSubmitted', 'RankingSubmitted')"
                    + " and coalesce(payload ->> 'demonstrationId', payload ->> 'rankingId') = ?1"
                    + " order by id limit 1",
                UUID.class)
            .setParameter(1, labelId.toString())
            .getResultList();
    return ids.isEmpty() ? null : ids.get(0);
  }

  private static LabelReview.Outcome outcome(String decision) {
    if (decision == null || decision.isBlank()) {
      throw ApiProblem.invalid("decision", "decision is ACCEPT, REJECT or CORRECT");
    }
    return switch (decision.trim().toUpperCase(Locale.ROOT)) {
      case "ACCEPT", "ACCEPTED" -> LabelReview.Outcome.ACCEPTED;
      case "REJECT", "REJECTED" -> LabelReview.Outcome.REJECTED;
      case "CORRECT", "CORRECTED" -> LabelReview.Outcome.CORRECTED;
      default -> throw ApiProblem.invalid("decision", "decision is ACCEPT, REJECT or CORRECT");
    };
  }
}
