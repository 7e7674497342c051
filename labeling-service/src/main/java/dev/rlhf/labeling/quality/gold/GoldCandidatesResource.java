package dev.rlhf.labeling.quality.gold;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Role;
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
 * The tasks of a project that can be gold (ranking and demonstration tasks not cancelled), newest
 * first, each with its prompt, its completions and its gold answer if it has one: what the
 * console's gold page lists for researchers to mark and reviewers to read. Contractors have no
 * access.
 */
@Path("/api/projects/{id}/gold-tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class GoldCandidatesResource {

  /** A task as the gold page shows it; {@code gold} is null when it is not gold. */
  public record Candidate(
      UUID taskId,
      String type,
      String state,
      List<ChatTurn> conversation,
      List<Shown> completions,
      GoldResource.GoldView gold) {}

  /** A completion the task shows. */
  public record Shown(UUID id, String text) {}

  @GET
  @Transactional
  public List<Candidate> list(
      @PathParam("id") UUID projectId,
      @QueryParam("goldOnly") String goldOnly,
      @QueryParam("limit") String limit) {
    if (Project.findById(projectId) == null) throw ApiProblem.notFound("project " + projectId);
    int max = Params.integer("limit", limit, 100, 1, 500);
    boolean onlyGold = "true".equalsIgnoreCase(goldOnly);
    List<Task> tasks =
        Task.<Task>find(
                "projectId = ?1 and type in ?2 and state <> ?3"
                    + (onlyGold ? " and id in (select g.taskId from GoldTask g)" : "")
                    + " order by createdAt desc, id",
                projectId,
                List.of(TaskType.RANKING, TaskType.DEMONSTRATION),
                TaskState.CANCELLED)
            .page(0, max)
            .list();
    if (tasks.isEmpty()) return List.of();
    Map<UUID, GoldTask> gold =
        GoldTask.<GoldTask>list("taskId in ?1", tasks.stream().map(t -> t.id).toList()).stream()
            .collect(Collectors.toMap(g -> g.taskId, Function.identity()));
    Map<UUID, Prompt> prompts =
        Prompt.<Prompt>list("id in ?1", tasks.stream().map(t -> t.promptId).toList()).stream()
            .collect(Collectors.toMap(p -> p.id, Function.identity()));
    return tasks.stream()
        .map(
            t ->
                new Candidate(
                    t.id,
                    t.type.name(),
                    t.state.name(),
                    prompts.get(t.promptId).conversation,
                    t.completions.stream().map(c -> new Shown(c.id, c.text)).toList(),
                    gold.containsKey(t.id) ? GoldResource.GoldView.of(gold.get(t.id)) : null))
        .toList();
  }
}
