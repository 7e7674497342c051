package dev.rlhf.labeling.service;

import dev.rlhf.events.contract.CompletionTexts;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.CompletionRequest;
import dev.rlhf.labeling.domain.ModelText;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Selection;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.outbox.Outbox;
import dev.rlhf.labeling.selection.SelectionRewardModel;
import dev.rlhf.labeling.selection.TaskSelection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Asks the runtime for K completions of prompts (through the outbox) and turns its answers into
 * ranking tasks, once per request id, however often an answer is delivered.
 */
@ApplicationScoped
public class CompletionRequestService {

  /** The purpose written on requests whose answers become ranking tasks. */
  public static final String PURPOSE = "ranking";

  static final String CONSUMER = "labeling-service.completions-to-ranking-tasks";
  private static final int MAX_PROMPTS = 1000;

  /** One request made: its id and the prompt it is for. */
  public record RequestMade(UUID requestId, UUID promptId) {}

  private final ProjectService projects;
  private final TaskService tasks;
  private final Outbox outbox;
  private final EntityManager entityManager;
  private final ProcessedEvents processedEvents;
  private final SelectionRewardModel selectionRewardModel;

  CompletionRequestService(
      ProjectService projects,
      TaskService tasks,
      Outbox outbox,
      EntityManager entityManager,
      ProcessedEvents processedEvents,
      SelectionRewardModel selectionRewardModel) {
    this.selectionRewardModel = selectionRewardModel;
    this.projects = projects;
    this.tasks = tasks;
    this.outbox = outbox;
    this.entityManager = entityManager;
    this.processedEvents = processedEvents;
  }

  /**
   * Asks for k completions of each prompt. Under UNCERTAINTY selection the requests name the
   * project's reward model ({@link SelectionRewardModel}), if it has one, for the runtime to score
   * the completions with.
   */
  @Transactional
  public List<RequestMade> request(
      UUID projectId,
      List<UUID> promptIds,
      String policyVersion,
      Integer k,
      SamplingSettings sampling,
      String requestedBy) {
    Project project = projects.find(projectId);
    if (k == null || k < 2 || k > 9) throw ApiProblem.invalid("k", "k must be between 2 and 9");
    if (promptIds == null || promptIds.isEmpty() || promptIds.size() > MAX_PROMPTS) {
      throw ApiProblem.invalid("promptIds", "give 1 to " + MAX_PROMPTS + " prompt ids");
    }
    SamplingSettings settings = sampling == null ? SamplingSettings.defaults() : sampling;
    String policy = policyVersion == null || policyVersion.isBlank() ? null : policyVersion;
    String rewardVersion =
        project.selection == Selection.UNCERTAINTY
            ? selectionRewardModel.forProject(projectId)
            : null;
    List<RequestMade> made = new ArrayList<>();
    for (UUID promptId : new LinkedHashSet<>(promptIds)) {
      Prompt prompt = promptId == null ? null : Prompt.findById(promptId);
      if (prompt == null || !prompt.projectId.equals(projectId)) {
        throw ApiProblem.invalid("promptIds", "no prompt " + promptId + " in this project");
      }
      if (prompt.heldOut) {
        // Its completions would be ranked, and the ranking trained on.
        throw ApiProblem.invalid("promptIds", "prompt " + promptId + " is held out for evaluation");
      }
      CompletionRequest request = new CompletionRequest();
      request.id = UUID.randomUUID();
      request.projectId = projectId;
      request.promptId = promptId;
      request.policyVersion = policy;
      request.k = k;
      request.rewardVersion = rewardVersion;
      request.sampling = settings;
      request.requestedBy = requestedBy;
      request.requestedAt = Instant.now();
      request.persist();
      outbox.record(
          new CompletionsRequested(
              UUID.randomUUID(),
              request.requestedAt,
              request.id,
              promptId,
              prompt.conversation,
              policy,
              k,
              settings,
              PURPOSE,
              rewardVersion));
      made.add(new RequestMade(request.id, promptId));
    }
    return made;
  }

  /**
   * Where a project's completion requests stand, for one policy version or all.
   *
   * @param noSignal answered with fewer than two distinct completions: no ranking task
   * @param duplicatesMerged completions dropped as near-duplicates of another of their answer
   * @param noSignalPrompts some of the prompts answered without signal (at most 100)
   */
  public record Summary(
      long requested,
      long fulfilled,
      long rankingTasks,
      long noSignal,
      long duplicatesMerged,
      List<UUID> noSignalPrompts) {}

  @Transactional
  public Summary summary(UUID projectId, String policyVersion) {
    projects.find(projectId);
    String filter = policyVersion == null ? "" : " and policy_version = ?2";
    var counts =
        entityManager.createNativeQuery(
            "select count(*), count(fulfilled_at),"
                + " count(*) filter (where outcome = 'RANKING_TASK'),"
                + " count(*) filter (where outcome = 'NO_SIGNAL'),"
                + " coalesce(sum(duplicates_merged), 0)"
                + " from completion_request where project_id = ?1"
                + filter);
    var prompts =
        entityManager.createNativeQuery(
            "select prompt_id from completion_request where project_id = ?1"
                + filter
                + " and outcome = 'NO_SIGNAL' order by fulfilled_at desc limit 100");
    counts.setParameter(1, projectId);
    prompts.setParameter(1, projectId);
    if (policyVersion != null) {
      counts.setParameter(2, policyVersion);
      prompts.setParameter(2, policyVersion);
    }
    Object[] row = (Object[]) counts.getSingleResult();
    @SuppressWarnings("unchecked")
    List<UUID> noSignalPrompts = prompts.getResultList();
    return new Summary(
        ((Number) row[0]).longValue(),
        ((Number) row[1]).longValue(),
        ((Number) row[2]).longValue(),
        ((Number) row[3]).longValue(),
        ((Number) row[4]).longValue(),
        noSignalPrompts);
  }

  /**
   * Stores the distinct completions of a request (near-duplicates merged, each with its reward
   * scores when the runtime scored them) and opens a ranking task for them when there are two or
   * more; otherwise the request is answered without signal. Under UNCERTAINTY selection the task is
   * scored ({@link TaskSelection}). The event id is recorded in the same transaction, and a request
   * already answered is left alone, so neither a redelivered event nor a second answer to one
   * request makes a second task.
   */
  @Transactional
  public void accept(CompletionsGenerated event) {
    if (!processedEvents.firstDelivery(CONSUMER, event.eventId())) return;
    CompletionRequest request =
        entityManager.find(
            CompletionRequest.class, event.requestId(), LockModeType.PESSIMISTIC_WRITE);
    if (request == null || request.fulfilledAt != null) return;
    Instant now = Instant.now();
    request.fulfilledAt = now;
    Map<String, Integer> distinct = new LinkedHashMap<>();
    for (int i = 0; i < event.completions().size(); i++) {
      distinct.putIfAbsent(CompletionTexts.duplicateKey(event.completions().get(i).text()), i);
    }
    request.duplicatesMerged = event.completions().size() - distinct.size();
    List<Completion> completions = new ArrayList<>();
    for (int i : distinct.values()) {
      CompletionsGenerated.GeneratedCompletion generated = event.completions().get(i);
      Completion completion = new Completion();
      completion.id = UUID.randomUUID();
      completion.promptId = request.promptId;
      completion.requestId = request.id;
      completion.text = ModelText.storable(generated.text());
      completion.policyVersion = event.policyVersion();
      completion.sampling =
          drawnAt(event.sampling() == null ? request.sampling : event.sampling(), generated);
      completion.createdAt = now;
      if (event.scored()) {
        completion.rewardScore = event.rewardScores().get(i);
        if (!event.checkRewardScores().isEmpty()) {
          completion.checkRewardScore = event.checkRewardScores().get(i);
        }
      }
      completion.persist();
      completions.add(completion);
    }
    if (completions.size() < 2) {
      request.outcome = CompletionRequest.Outcome.NO_SIGNAL;
      return;
    }
    request.outcome = CompletionRequest.Outcome.RANKING_TASK;
    Project project = Project.findById(request.projectId);
    Task task = tasks.open(project, request.promptId, TaskType.RANKING, 0, completions, request.id);
    if (project.selection == Selection.UNCERTAINTY) {
      TaskSelection.score(task, completions, event.scored() ? event.rewardVersion() : null);
    }
  }

  /** The settings a text was drawn with: a hotter round for diversity names its temperature. */
  private static SamplingSettings drawnAt(
      SamplingSettings asked, CompletionsGenerated.GeneratedCompletion generated) {
    if (generated.temperature() == null || asked == null) return asked;
    return new SamplingSettings(
        generated.temperature(),
        asked.topP(),
        asked.topK(),
        asked.maxTokens(),
        asked.stop(),
        asked.seed());
  }
}
