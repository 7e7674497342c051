package dev.rlhf.labeling.quality;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.rest.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Contractor quality: the whole table for researchers and reviewers; a contractor's own figures for
 * that contractor, and nobody else's.
 */
@Path("/api/quality")
@Produces(MediaType.APPLICATION_JSON)
public class QualityResource {

  private final QualityService quality;
  private final Caller caller;

  QualityResource(QualityService quality, Caller caller) {
    this.quality = quality;
    this.caller = caller;
  }

  @GET
  @Path("/contractors")
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public QualityTable contractors(@QueryParam("project") String project) {
    return quality.table(Params.uuid("project", project));
  }

  /** 204 while the contractor has answered nothing (in the project). */
  @GET
  @Path("/me")
  @RolesAllowed(Role.CONTRACTOR_NAME)
  public Response mine(@QueryParam("project") String project) {
    return quality
        .own(Params.uuid("project", project), caller.id())
        .map(own -> Response.ok(own).build())
        .orElseGet(() -> Response.noContent().build());
  }
}
