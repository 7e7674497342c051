package dev.rlhf.labeling.quality.gold;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** A project's gold rate: set by researchers, read by researchers and reviewers. */
@Path("/api/projects/{id}/gold-rate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GoldRateResource {

  /** The body of a gold-rate change. */
  public record RateRequest(Double rate) {}

  private final GoldService gold;
  private final Caller caller;

  GoldRateResource(GoldService gold, Caller caller) {
    this.gold = gold;
    this.caller = caller;
  }

  @PUT
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public GoldService.GoldRate setRate(@PathParam("id") UUID projectId, RateRequest body) {
    return gold.setRate(projectId, body == null ? null : body.rate(), caller.username());
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public GoldService.GoldRate rate(@PathParam("id") UUID projectId) {
    return gold.rate(projectId);
  }
}
