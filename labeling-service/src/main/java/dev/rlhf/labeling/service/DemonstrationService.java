package dev.rlhf.labeling.service;

import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.Demonstration;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Stores a demonstration and its DemonstrationSubmitted event in one transaction. */
@ApplicationScoped
public class DemonstrationService {

  /** What a contractor sends. timeSpentMs may be left out: the lease's age is used then. */
  public record DemonstrationInput(
      String response, UUID editedFromCompletionId, Long timeSpentMs) {}

  private final TaskDistributor distributor;
  private final SubmissionRules rules;
  private final IdempotencyKeys idempotency;
  private final Outbox outbox;
  private final TextLimits texts;

  DemonstrationService(
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
      DemonstrationInput input) {
    var replay = idempotency.claim(contractorId, idempotencyKey);
    if (replay.isPresent()) return replay.get();
    if (input == null) throw ApiProblem.invalid("response", "a JSON body is required");
    Assignment assignment = distributor.lockOwnActive(assignmentId, contractorId);
    Task task = rules.lockTaskFor(assignment, false);
    String response = texts.require("response", input.response());
    UUID editedFrom = input.editedFromCompletionId();
    if (editedFrom != null) {
      Completion source = Completion.findById(editedFrom);
      if (source == null || !source.promptId.equals(task.promptId)) {
        throw ApiProblem.invalid(
            "editedFromCompletionId", "no completion " + editedFrom + " of this prompt");
      }
    }
    Instant now = Instant.now();
    Demonstration demonstration = new Demonstration();
    demonstration.response = response;
    demonstration.editedFromCompletionId = editedFrom;
    rules.store(demonstration, assignment, task, input.timeSpentMs(), now);

    Prompt prompt = Prompt.findById(task.promptId);
    outbox.record(
        new DemonstrationSubmitted(
            demonstration.eventId,
            now,
            demonstration.id,
            task.projectId,
            task.promptId,
            prompt.conversation,
            response,
            editedFrom,
            assignment.guidelineVersion,
            contractor));
    SubmissionReceipt receipt =
        new SubmissionReceipt(demonstration.id, "demonstration", assignment.id, task.id, now);
    idempotency.complete(contractorId, idempotencyKey, receipt);
    return receipt;
  }
}
