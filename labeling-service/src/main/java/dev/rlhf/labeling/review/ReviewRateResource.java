package dev.rlhf.labeling.review;

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

/** The share of a project's labels sampled for review; researchers set it. */
@Path("/api/projects/{id}/review-rate")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class ReviewRateResource {

  private final ReviewRate rates;
  private final Caller caller;

  ReviewRateResource(ReviewRate rates, Caller caller) {
    this.rates = rates;
    this.caller = caller;
  }

  @GET
  public ReviewRate.RateView rate(@PathParam("id") UUID projectId) {
    return rates.of(projectId);
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public ReviewRate.RateView change(@PathParam("id") UUID projectId, ReviewRate.RateChange body) {
    return rates.change(projectId, body, caller.username());
  }
}
