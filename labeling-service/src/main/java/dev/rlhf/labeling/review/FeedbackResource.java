package dev.rlhf.labeling.review;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** A contractor's feedback: their reviewed labels with the outcome and the reason, newest first. */
@Path("/api/me/reviews")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.CONTRACTOR_NAME)
public class FeedbackResource {

  private final ReviewHistory history;
  private final Caller caller;

  FeedbackResource(ReviewHistory history, Caller caller) {
    this.history = history;
    this.caller = caller;
  }

  @GET
  public List<ReviewHistory.ReviewView> mine(
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    return history.of(caller.id(), limit, offset);
  }
}
