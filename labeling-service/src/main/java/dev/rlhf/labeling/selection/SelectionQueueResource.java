package dev.rlhf.labeling.selection;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.SelectionSignal;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskState;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.rest.Params;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A project's open ranking tasks in the order contractors are handed them (priority, then selection
 * score, then age), each with its selection score, the signal that gave it and the reward scores of
 * its completions: how a researcher sees what active selection did. Contractors and reviewers have
 * no access (the scores would tell them the reward model's preference).
 */
@Path("/api/projects/{id}/selection-queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class SelectionQueueResource {

  /**
   * An open ranking task as active selection ordered it.
   *
   * @param selectionScore 0..1, higher first; null when not scored (RANDOM selection)
   * @param selectionSignal what gave the score; null when not scored
   * @param rewardVersion the reward model that scored the completions (signal REWARD_MODEL)
   */
  public record QueuedTask(
      UUID taskId,
      UUID promptId,
      int priority,
      Double selectionScore,
      SelectionSignal selectionSignal,
      String rewardVersion,
      List<ChatTurn> conversation,
      List<ScoredCompletion> completions) {}

  /** A completion of the task with its reward scores (null when unscored). */
  public record ScoredCompletion(
      UUID id, String text, Double rewardScore, Double checkRewardScore) {}

  @GET
  @Transactional
  public List<QueuedTask> list(@PathParam("id") UUID projectId, @QueryParam("limit") String limit) {
    if (Project.findById(projectId) == null) throw ApiProblem.notFound("project " + projectId);
    int max = Params.integer("limit", limit, 100, 1, 500);
    List<Task> tasks =
        Task.<Task>find(
                "projectId = ?1 and type = ?2 and state = ?3"
                    + " order by priority desc, selectionScore desc nulls last, createdAt, id",
                projectId,
                TaskType.RANKING,
                TaskState.OPEN)
            .page(0, max)
            .list();
    if (tasks.isEmpty()) return List.of();
    Map<UUID, Prompt> prompts =
        Prompt.<Prompt>list("id in ?1", tasks.stream().map(t -> t.promptId).toList()).stream()
            .collect(Collectors.toMap(p -> p.id, Function.identity()));
    return tasks.stream()
        .map(
            t ->
                new QueuedTask(
                    t.id,
                    t.promptId,
                    t.priority,
                    t.selectionScore,
                    t.selectionSignal,
                    t.selectionRewardVersion,
                    prompts.get(t.promptId).conversation,
                    t.completions.stream()
                        .map(
                            c ->
                                new ScoredCompletion(
                                    c.id, c.text, c.rewardScore, c.checkRewardScore))
                        .toList()))
        .toList();
  }
}
