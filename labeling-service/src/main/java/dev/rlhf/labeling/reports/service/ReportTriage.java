package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.reports.domain.MisbehaviorReport;
import dev.rlhf.labeling.reports.domain.ReportState;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.CompletionRequestService;
import dev.rlhf.labeling.service.TaskService;
import dev.rlhf.labeling.service.TextLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A reviewer's decision on a new report. Accepting turns the reported conversation into a prompt of
 * a project and opens a correction task on it (answered with a demonstration, so the correction
 * reaches the SFT data like any other); optionally it also asks the current policy for fresh
 * samples, whose arrival opens a ranking task through the ordinary completion-request path.
 */
@ApplicationScoped
public class ReportTriage {

  /** Written on the prompt made from a report, so lineage leads back to the report. */
  public static final String SOURCE_PREFIX = "misbehavior-report:";

  /**
   * What a reviewer decides on acceptance. rankingSamples: fresh completions to rank (2..9), or
   * null for none; priority: null takes the report's severity, so worse reports are fixed first.
   */
  public record Acceptance(UUID projectId, Integer rankingSamples, Integer priority) {}

  private final EntityManager entityManager;
  private final TaskService tasks;
  private final CompletionRequestService completionRequests;
  private final TextLimits texts;

  ReportTriage(
      EntityManager entityManager,
      TaskService tasks,
      CompletionRequestService completionRequests,
      TextLimits texts) {
    this.entityManager = entityManager;
    this.tasks = tasks;
    this.completionRequests = completionRequests;
    this.texts = texts;
  }

  /** Who decides: a reviewer's account id and name. */
  public record Reviewer(UUID id, String username) {}

  @Transactional
  public MisbehaviorReport accept(UUID reportId, Acceptance acceptance, Reviewer reviewer) {
    if (acceptance == null || acceptance.projectId() == null) {
      throw ApiProblem.badRequest("projectId", "projectId is required");
    }
    Project project = Project.findById(acceptance.projectId());
    if (project == null) throw ApiProblem.badRequest("projectId", "no such project");
    Integer samples = acceptance.rankingSamples();
    if (samples != null && (samples < 2 || samples > 9)) {
      throw ApiProblem.badRequest("rankingSamples", "rankingSamples must be 2..9, or left out");
    }
    MisbehaviorReport report = lockNew(reportId, reviewer);

    List<ChatTurn> turns = report.conversation;
    ChatTurn last = turns.get(turns.size() - 1);
    boolean endsWithAnswer = last.role() == ChatTurn.Role.ASSISTANT;
    List<ChatTurn> promptTurns = endsWithAnswer ? turns.subList(0, turns.size() - 1) : turns;
    // A prompt ends with the user's turn: the correction (or demonstration) is the next turn, and
    // exported datasets alternate user and assistant as chat templates require.
    if (promptTurns.isEmpty()
        || promptTurns.get(promptTurns.size() - 1).role() != ChatTurn.Role.USER) {
      throw ApiProblem.conflict(
          "conversation",
          "the conversation must end with the user's turn, or with the reported answer to it");
    }
    Instant now = Instant.now();
    Prompt prompt = new Prompt();
    prompt.id = UUID.randomUUID();
    prompt.projectId = project.id;
    prompt.conversation = List.copyOf(promptTurns);
    prompt.source = SOURCE_PREFIX + report.id;
    prompt.tags = List.of("misbehavior", report.category.name().toLowerCase(Locale.ROOT));
    // The first reporter is the prompt's author: authors never get tasks about their own prompt.
    prompt.authorId = firstReporter(report.id);
    prompt.createdAt = now;
    prompt.persist();

    int priority = acceptance.priority() == null ? report.severity : acceptance.priority();
    // The reported answer is shown beside the correction; without one it is a plain demonstration.
    Task task =
        endsWithAnswer
            ? tasks.open(
                project,
                prompt.id,
                TaskType.CORRECTION,
                priority,
                List.of(reported(report, prompt, last, now)),
                null)
            : tasks.open(project, prompt.id, TaskType.DEMONSTRATION, priority, List.of(), null);

    if (samples != null) {
      // No policy version: the runtime samples from the currently promoted policy.
      report.completionRequestId =
          completionRequests
              .request(project.id, List.of(prompt.id), null, samples, null, reviewer.username())
              .get(0)
              .requestId();
    }
    report.state = ReportState.ACCEPTED;
    report.triagedBy = reviewer.username();
    report.triagedAt = now;
    report.promptId = prompt.id;
    report.correctionTaskId = task.id;
    return report;
  }

  @Transactional
  public MisbehaviorReport reject(UUID reportId, String reason, Reviewer reviewer) {
    if (reason == null || reason.isBlank()) {
      throw ApiProblem.badRequest("reason", "a reason is required to reject a report");
    }
    texts.limit("reason", reason);
    MisbehaviorReport report = lockNew(reportId, reviewer);
    report.state = ReportState.REJECTED;
    report.rejectReason = reason.strip();
    report.triagedBy = reviewer.username();
    report.triagedAt = Instant.now();
    return report;
  }

  /**
   * The report, locked, if it still waits for a decision and the reviewer did not report it
   * (deciding on one's own report would let a person both raise and approve labeling work).
   */
  private MisbehaviorReport lockNew(UUID reportId, Reviewer reviewer) {
    MisbehaviorReport report =
        entityManager.find(MisbehaviorReport.class, reportId, LockModeType.PESSIMISTIC_WRITE);
    if (report == null) throw ApiProblem.notFound("report " + reportId);
    if (reporters(reportId).contains(reviewer.id())) {
      throw new ApiProblem(
          403, "Forbidden", null, "you reported this conversation; another reviewer decides on it");
    }
    if (report.state != ReportState.NEW) {
      throw ApiProblem.conflict(
          "state", "the report is already " + report.state.name().toLowerCase(Locale.ROOT));
    }
    return report;
  }

  @SuppressWarnings("unchecked")
  private List<UUID> reporters(UUID reportId) {
    return entityManager
        .createNativeQuery(
            "select account_id from misbehavior_report_reporter where report_id = ?1"
                + " order by reported_at",
            UUID.class)
        .setParameter(1, reportId)
        .getResultList();
  }

  private UUID firstReporter(UUID reportId) {
    return reporters(reportId).stream().findFirst().orElse(null);
  }

  private static Completion reported(
      MisbehaviorReport report, Prompt prompt, ChatTurn answer, Instant now) {
    Completion completion = new Completion();
    completion.id = UUID.randomUUID();
    completion.promptId = prompt.id;
    completion.text = answer.text();
    completion.policyVersion = report.modelVersion == null ? "unknown" : report.modelVersion;
    // The production sampling settings are not reported; the defaults stand in for them.
    completion.sampling = SamplingSettings.defaults();
    completion.createdAt = now;
    completion.persist();
    return completion;
  }
}
