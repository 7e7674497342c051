package dev.rlhf.labeling.rest;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.ProjectService;
import dev.rlhf.labeling.service.PromptImportService;
import dev.rlhf.labeling.service.PromptImportService.Format;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A project's prompts: import files of them, and browse them. */
@Path("/api/projects/{id}/prompts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class PromptResource {

  public record PromptView(
      UUID id,
      List<ChatTurn> conversation,
      String source,
      List<String> tags,
      Instant createdAt,
      boolean heldOut) {
    static PromptView of(Prompt p) {
      return new PromptView(p.id, p.conversation, p.source, p.tags, p.createdAt, p.heldOut);
    }
  }

  private final PromptImportService imports;
  private final ProjectService projects;
  private final Caller caller;

  PromptResource(PromptImportService imports, ProjectService projects, Caller caller) {
    this.imports = imports;
    this.projects = projects;
    this.caller = caller;
  }

  /**
   * Imports JSONL ({@code application/x-ndjson}, {@code application/jsonl}) or CSV ({@code
   * text/csv}). {@code tasks} is the task opened per accepted prompt: DEMONSTRATION (default) or
   * NONE. {@code heldOut=true} imports the project's evaluation prompts: held out of every task and
   * training run, answered by each new policy version and its parent before promotion.
   */
  @POST
  @Path("/import")
  @Consumes({"application/x-ndjson", "application/jsonl", "text/csv", MediaType.TEXT_PLAIN})
  public PromptImportService.ImportReport importPrompts(
      @PathParam("id") UUID projectId,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @QueryParam("tasks") String tasks,
      @QueryParam("priority") @DefaultValue("0") int priority,
      @QueryParam("heldOut") String heldOutParam,
      @QueryParam("duplicates") String duplicatesParam,
      String body) {
    Format format =
        contentType != null && contentType.startsWith("text/csv") ? Format.CSV : Format.JSONL;
    boolean heldOut = Params.bool("heldOut", heldOutParam, false);
    boolean keepDuplicates = keepDuplicates(duplicatesParam);
    String wanted = tasks == null ? (heldOut ? "NONE" : "DEMONSTRATION") : tasks;
    TaskType taskType =
        "NONE".equalsIgnoreCase(wanted) ? null : Params.enumValue("tasks", wanted, TaskType.class);
    if (heldOut && taskType != null) {
      throw ApiProblem.invalid("tasks", "prompts held out for evaluation get no tasks: use NONE");
    }
    if (taskType != null && taskType.isRanking()) {
      throw ApiProblem.invalid("tasks", "ranking tasks come from completion requests");
    }
    if (taskType == TaskType.CORRECTION) {
      // An imported prompt ends with the user's turn: there is no response in it to correct.
      throw ApiProblem.invalid(
          "tasks",
          "correction tasks come from accepted misbehavior reports, which carry the response to"
              + " correct; import with DEMONSTRATION or NONE");
    }
    return imports.importPrompts(
        projectId, format, body, taskType, priority, heldOut, keepDuplicates, caller.username());
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public List<PromptView> prompts(
      @PathParam("id") UUID projectId,
      @QueryParam("page") String pageParam,
      @QueryParam("size") String sizeParam) {
    int page = Params.integer("page", pageParam, 0, 0, Integer.MAX_VALUE);
    int size = Params.integer("size", sizeParam, 50, 1, 500);
    projects.find(projectId);
    return Prompt.<Prompt>find("projectId = ?1 order by createdAt, id", projectId)
        .page(Page.of(page, size))
        .list()
        .stream()
        .map(PromptView::of)
        .toList();
  }

  /**
   * duplicates=skip (the default) leaves out prompts the project has; duplicates=keep stores them.
   */
  private static boolean keepDuplicates(String value) {
    if (value == null || value.isBlank()) return false;
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "skip" -> false;
      case "keep" -> true;
      default -> throw ApiProblem.badRequest("duplicates", "duplicates must be skip or keep");
    };
  }
}
