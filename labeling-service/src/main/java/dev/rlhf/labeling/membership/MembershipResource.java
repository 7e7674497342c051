package dev.rlhf.labeling.membership;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * A project's members: researchers add and remove contractors. The first member makes the project
 * members-only (see {@link MembershipService#add}).
 */
@Path("/api/projects/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
public class MembershipResource {

  private final MembershipService membership;
  private final Caller caller;

  MembershipResource(MembershipService membership, Caller caller) {
    this.membership = membership;
    this.caller = caller;
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public List<MembershipService.Member> members(@PathParam("id") UUID projectId) {
    return membership.members(projectId);
  }

  /** Adds a contractor (no body); answers the project's access rules with the new count. */
  @PUT
  @Path("/{username}")
  @Consumes(MediaType.WILDCARD)
  public MembershipService.AccessView add(
      @PathParam("id") UUID projectId, @PathParam("username") String username) {
    return membership.add(projectId, username, caller.username());
  }

  @DELETE
  @Path("/{username}")
  public MembershipService.AccessView remove(
      @PathParam("id") UUID projectId, @PathParam("username") String username) {
    return membership.remove(projectId, username, caller.username());
  }
}
