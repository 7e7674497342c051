package dev.rlhf.labeling.service;

import dev.rlhf.events.contract.PreferencePairs;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.RankedCompletion;
import dev.rlhf.labeling.domain.Ranking;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stores a ranking and its RankingSubmitted event in one transaction. */
@ApplicationScoped
public class RankingService {

  /**
   * What a contractor sends: {@code order} lists groups of completion ids from best to worst, a
   * group of several is a tie. With {@code allBad} the order may be left out (all tie) and {@code
   * betterResponse} is the contractor's own answer, preferred over every completion.
   */
  public record RankingInput(
      List<List<UUID>> order, boolean allBad, String betterResponse, Long timeSpentMs) {}

  private final TaskDistributor distributor;
  private final SubmissionRules rules;
  private final IdempotencyKeys idempotency;
  private final Outbox outbox;
  private final TextLimits texts;

  RankingService(
      TaskDistributor distributor,
      SubmissionRules rules,
      IdempotencyKeys idempotency,
      Outbox outbox,
      TextLimits texts) {
    this.distributor = distributor;
    this.rules = rules;
    this.idempotency = idempotency;
    this.outbox = outbox;
    this.texts = texts;
  }

  @Transactional
  public SubmissionReceipt submit(
      UUID assignmentId,
      UUID contractorId,
      String contractor,
      String idempotencyKey,
      RankingInput input) {
    var replay = idempotency.claim(contractorId, idempotencyKey);
    if (replay.isPresent()) return replay.get();
    if (input == null) throw ApiProblem.invalid("order", "a JSON body is required");
    Assignment assignment = distributor.lockOwnActive(assignmentId, contractorId);
    Task task = rules.lockTaskFor(assignment, true);
    Map<UUID, Integer> ranks = ranks(input, task.completions);
    String better = texts.limit("betterResponse", input.betterResponse());
    if (better != null && !input.allBad()) {
      throw ApiProblem.invalid("betterResponse", "a better response goes with allBad only");
    }
    if (better != null && better.isBlank()) better = null;

    List<RankingSubmitted.RankedCompletion> ranked =
        task.completions.stream()
            .map(
                c ->
                    new RankingSubmitted.RankedCompletion(
                        c.id, c.text, c.policyVersion, ranks.get(c.id)))
            .toList();
    Instant now = Instant.now();
    Ranking ranking = new Ranking();
    ranking.allBad = input.allBad();
    ranking.betterResponse = better;
    ranking.informativePairs =
        PreferencePairs.of(
                ranked.stream().map(c -> new PreferencePairs.Ranked(c.text(), c.rank())).toList(),
                input.allBad(),
                better)
            .size();
    ranks.forEach((id, rank) -> ranking.entries.add(new RankedCompletion(id, rank)));
    rules.store(ranking, assignment, task, input.timeSpentMs(), now);

    Prompt prompt = Prompt.findById(task.promptId);
    outbox.record(
        new RankingSubmitted(
            ranking.eventId,
            now,
            ranking.id,
            task.projectId,
            task.promptId,
            prompt.conversation,
            ranked,
            ranking.allBad,
            better,
            assignment.guidelineVersion,
            contractor));
    SubmissionReceipt receipt =
        new SubmissionReceipt(ranking.id, "ranking", assignment.id, task.id, now);
    idempotency.complete(contractorId, idempotencyKey, receipt);
    return receipt;
  }

  /** Checks that the order is a permutation of the task's completions; returns each one's rank. */
  public static Map<UUID, Integer> ranks(RankingInput input, List<Completion> completions) {
    Map<UUID, Integer> ranks = new LinkedHashMap<>();
    List<UUID> shown = completions.stream().map(c -> c.id).toList();
    if (input.order() == null || input.order().isEmpty()) {
      if (!input.allBad()) {
        throw ApiProblem.invalid("order", "order must rank every completion of the task");
      }
      shown.forEach(id -> ranks.put(id, 1));
      return ranks;
    }
    int rank = 0;
    for (List<UUID> group : input.order()) {
      if (group == null || group.isEmpty()) {
        throw ApiProblem.invalid("order", "order has an empty group");
      }
      rank++;
      for (UUID id : group) {
        if (!shown.contains(id)) {
          throw ApiProblem.invalid("order", "completion " + id + " is not one of this task's");
        }
        if (ranks.put(id, rank) != null) {
          throw ApiProblem.invalid("order", "completion " + id + " is ranked twice");
        }
      }
    }
    for (UUID id : shown) {
      if (!ranks.containsKey(id)) {
        throw ApiProblem.invalid("order", "completion " + id + " is missing from the order");
      }
    }
    return ranks;
  }
}
