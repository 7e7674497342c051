package dev.rlhf.labeling.rest;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.CompletionRequestService;
import dev.rlhf.labeling.service.ProjectService;
import dev.rlhf.labeling.service.PromptImportService;
import dev.rlhf.labeling.service.PromptImportService.Format;
import dev.rlhf.labeling.service.TaskService;
import io.quarkus.panache.common.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Researchers' work on a project's prompts: import, browse, open tasks, request completions. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class PromptResource {

  public record PromptView(
      UUID id, List<ChatTurn> conversation, String source, List<String> tags, Instant createdAt) {
    static PromptView of(Prompt p) {
      return new PromptView(p.id, p.conversation, p.source, p.tags, p.createdAt);
    }
  }

  public record NewTask(UUID promptId, TaskType type, Integer priority, List<UUID> completionIds) {}

  public record TaskView(
      UUID id, UUID promptId, TaskType type, String state, int answersWanted, int answersDone) {
    static TaskView of(Task t) {
      return new TaskView(t.id, t.promptId, t.type, t.state.name(), t.answersWanted, t.answersDone);
    }
  }

  public record NewCompletionRequest(
      List<UUID> promptIds, String policyVersion, Integer k, SamplingSettings sampling) {}

  private final PromptImportService imports;
  private final ProjectService projects;
  private final TaskService tasks;
  private final CompletionRequestService completionRequests;
  private final Caller caller;

  PromptResource(
      PromptImportService imports,
      ProjectService projects,
      TaskService tasks,
      CompletionRequestService completionRequests,
      Caller caller) {
    this.imports = imports;
    this.projects = projects;
    this.tasks = tasks;
    this.completionRequests = completionRequests;
    this.caller = caller;
  }

  /**
   * Imports JSONL ({@code application/x-ndjson}, {@code application/jsonl}) or CSV ({@code
   * text/csv}). {@code tasks} is the task opened per accepted prompt: DEMONSTRATION (default) or
   * NONE.
   */
  @POST
  @Path("/projects/{id}/prompts/import")
  @Consumes({"application/x-ndjson", "application/jsonl", "text/csv", MediaType.TEXT_PLAIN})
  public PromptImportService.ImportReport importPrompts(
      @PathParam("id") UUID projectId,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @QueryParam("tasks") @DefaultValue("DEMONSTRATION") String tasks,
      @QueryParam("priority") @DefaultValue("0") int priority,
      String body) {
    Format format =
        contentType != null && contentType.startsWith("text/csv") ? Format.CSV : Format.JSONL;
    TaskType taskType =
        "NONE".equalsIgnoreCase(tasks) ? null : Params.enumValue("tasks", tasks, TaskType.class);
    if (taskType != null && taskType.isRanking()) {
      throw ApiProblem.invalid("tasks", "ranking tasks come from completion requests");
    }
    return imports.importPrompts(projectId, format, body, taskType, priority, caller.username());
  }

  @GET
  @Path("/projects/{id}/prompts")
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public List<PromptView> prompts(
      @PathParam("id") UUID projectId,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    projects.find(projectId);
    if (page < 0 || size < 1 || size > 500) {
      throw ApiProblem.invalid("size", "page >= 0 and size 1..500");
    }
    return Prompt.<Prompt>find("projectId = ?1 order by createdAt, id", projectId)
        .page(Page.of(page, size))
        .list()
        .stream()
        .map(PromptView::of)
        .toList();
  }

  @POST
  @Path("/projects/{id}/tasks")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response createTask(@PathParam("id") UUID projectId, NewTask body) {
    if (body == null) throw ApiProblem.invalid("promptId", "a JSON body is required");
    Task task =
        tasks.create(
            projectId, body.promptId(), body.type(), body.priority(), body.completionIds());
    return Response.status(Response.Status.CREATED).entity(TaskView.of(task)).build();
  }

  @POST
  @Path("/tasks/{id}/cancel")
  @Consumes(MediaType.WILDCARD)
  public TaskView cancel(@PathParam("id") UUID taskId) {
    return TaskView.of(tasks.cancel(taskId));
  }

  /** Asks the runtime for k (2..9) completions per prompt; answered 202, tasks come later. */
  @POST
  @Path("/projects/{id}/completion-requests")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response requestCompletions(@PathParam("id") UUID projectId, NewCompletionRequest body) {
    if (body == null) throw ApiProblem.invalid("k", "a JSON body is required");
    List<CompletionRequestService.RequestMade> made =
        completionRequests.request(
            projectId,
            body.promptIds(),
            body.policyVersion(),
            body.k(),
            body.sampling(),
            caller.username());
    return Response.accepted(made).build();
  }
}
