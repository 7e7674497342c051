package dev.rlhf.labeling.membership;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** Whether only members draw a project's tasks, and its hourly and daily caps per contractor. */
@Path("/api/projects/{id}/access")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class ProjectAccessResource {

  private final MembershipService membership;
  private final Caller caller;

  ProjectAccessResource(MembershipService membership, Caller caller) {
    this.membership = membership;
    this.caller = caller;
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public MembershipService.AccessView access(@PathParam("id") UUID projectId) {
    return membership.access(projectId);
  }

  @PATCH
  public MembershipService.AccessView change(
      @PathParam("id") UUID projectId, MembershipService.AccessChange body) {
    return membership.change(projectId, body, caller.username());
  }
}
