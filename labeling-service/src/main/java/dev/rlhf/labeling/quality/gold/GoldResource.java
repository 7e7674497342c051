package dev.rlhf.labeling.quality.gold;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Researchers mark a task gold with its known answer; reviewers may read it. Contractors have no
 * access: a gold task must look to them like any other.
 */
@Path("/api/tasks/{id}/gold")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GoldResource {

  /** A gold task as researchers see it. */
  public record GoldView(
      UUID taskId,
      UUID projectId,
      GoldAnswer answer,
      List<List<UUID>> requiredPairs,
      String markedBy,
      Instant markedAt) {
    static GoldView of(GoldTask g) {
      return new GoldView(g.taskId, g.projectId, g.answer, g.requiredPairs, g.markedBy, g.markedAt);
    }
  }

  private final GoldService gold;
  private final Caller caller;

  GoldResource(GoldService gold, Caller caller) {
    this.gold = gold;
    this.caller = caller;
  }

  @PUT
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public GoldView mark(@PathParam("id") UUID taskId, GoldAnswer answer) {
    return GoldView.of(gold.mark(taskId, answer, caller.username()));
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public GoldView read(@PathParam("id") UUID taskId) {
    return gold.find(taskId)
        .map(GoldView::of)
        .orElseThrow(() -> ApiProblem.notFound("gold answer of task " + taskId));
  }
}
