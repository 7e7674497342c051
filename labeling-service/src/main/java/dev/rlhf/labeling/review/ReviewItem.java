package dev.rlhf.labeling.review;

import dev.rlhf.events.contract.ChatTurn;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A label as a reviewer sees it: the task it answers (the conversation and the completions shown),
 * the guidelines of the version it was made under, and the answer. {@code why} is SAMPLED (the
 * project's review rate picked it), WATCHED (its contractor is under watch) or GOLD (an answer to a
 * gold demonstration task, to score on its checklist); null outside a queue. Every text is
 * untrusted and shown as text.
 *
 * @param completions the completions the task showed, in the order shown, with the contractor's
 *     rank for a ranking (1 best, equal ranks tie; null for a demonstration)
 * @param response a demonstration's response; null for a ranking
 * @param gold whether the task is a gold task (reviewers may know; contractors never do)
 * @param checklist of an answer to a gold demonstration task, the items to score; else null
 */
public record ReviewItem(
    UUID labelId,
    String labelType,
    String why,
    UUID projectId,
    String projectName,
    UUID taskId,
    String taskType,
    String contractor,
    Instant createdAt,
    int guidelineVersion,
    String guidelines,
    List<ChatTurn> conversation,
    String response,
    UUID editedFromCompletionId,
    List<ShownCompletion> completions,
    boolean allBad,
    String betterResponse,
    boolean gold,
    List<String> checklist) {

  /** A completion the task showed, and the rank the contractor gave it. */
  public record ShownCompletion(UUID id, String text, Integer rank) {}
}
