package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.TaskService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * A researcher opens a task by hand: a demonstration, the correction of a completion, or a blind
 * comparison of two completions (ranking tasks usually come from completion requests).
 */
@Path("/api/projects/{id}/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class ProjectTaskResource {

  public record NewTask(UUID promptId, TaskType type, Integer priority, List<UUID> completionIds) {}

  public record TaskView(
      UUID id, UUID promptId, TaskType type, String state, int answersWanted, int answersDone) {
    static TaskView of(Task t) {
      return new TaskView(t.id, t.promptId, t.type, t.state.name(), t.answersWanted, t.answersDone);
    }
  }

  private final TaskService tasks;

  ProjectTaskResource(TaskService tasks) {
    this.tasks = tasks;
  }

  @POST
  public Response create(@PathParam("id") UUID projectId, NewTask body) {
    if (body == null) throw ApiProblem.invalid("promptId", "a JSON body is required");
    Task task =
        tasks.create(
            projectId, body.promptId(), body.type(), body.priority(), body.completionIds());
    return Response.status(Response.Status.CREATED).entity(TaskView.of(task)).build();
  }
}
