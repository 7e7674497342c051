package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.service.AssignmentQueries;
import dev.rlhf.labeling.service.TaskDistributor;
import dev.rlhf.labeling.service.TaskService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Taking the next task (contractors) and withdrawing a task (researchers). */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

  private final Caller caller;
  private final TaskDistributor distributor;
  private final AssignmentQueries queries;
  private final TaskService tasks;

  TaskResource(
      Caller caller, TaskDistributor distributor, AssignmentQueries queries, TaskService tasks) {
    this.caller = caller;
    this.distributor = distributor;
    this.queries = queries;
    this.tasks = tasks;
  }

  /** Leases the next task: 200 with the assignment, or 204 when there is nothing to do. */
  @POST
  @Path("/next")
  @RolesAllowed(Role.CONTRACTOR_NAME)
  public Response next(@QueryParam("project") String project, @QueryParam("type") String type) {
    return distributor
        .next(
            caller.id(),
            Params.uuid("project", project),
            Params.enumValue("type", type, TaskType.class))
        .map(a -> Response.ok(queries.view(a)).build())
        .orElseGet(() -> Response.noContent().build());
  }

  @POST
  @Path("/{id}/cancel")
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public ProjectTaskResource.TaskView cancel(@PathParam("id") UUID taskId) {
    return ProjectTaskResource.TaskView.of(tasks.cancel(taskId));
  }
}
