package dev.rlhf.labeling.rest;

import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.ApiProblem;
import dev.rlhf.labeling.service.CompletionRequestService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Asks the runtime for k (2..9) completions per prompt. Answered 202: the ranking tasks appear when
 * the completions come back.
 */
@Path("/api/projects/{id}/completion-requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class CompletionRequestResource {

  public record NewCompletionRequest(
      List<UUID> promptIds, String policyVersion, Integer k, SamplingSettings sampling) {}

  private final CompletionRequestService completionRequests;
  private final Caller caller;

  CompletionRequestResource(CompletionRequestService completionRequests, Caller caller) {
    this.completionRequests = completionRequests;
    this.caller = caller;
  }

  /** Where the project's completion requests stand: answered, made into tasks, without signal. */
  @GET
  @Path("/summary")
  public CompletionRequestService.Summary summary(
      @PathParam("id") UUID projectId, @QueryParam("policyVersion") String policyVersion) {
    return completionRequests.summary(
        projectId, policyVersion == null || policyVersion.isBlank() ? null : policyVersion);
  }

  @POST
  public Response request(@PathParam("id") UUID projectId, NewCompletionRequest body) {
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
