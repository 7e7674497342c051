package dev.rlhf.labeling.review;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.rest.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
 * Label review: reviewers take their queue and accept, reject (with a reason) or correct labels;
 * researchers and reviewers read the reviews made.
 */
@Path("/api/reviews")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class ReviewResource {

  private final ReviewQueue queue;
  private final ReviewService reviews;
  private final ReviewHistory history;
  private final Caller caller;

  ReviewResource(ReviewQueue queue, ReviewService reviews, ReviewHistory history, Caller caller) {
    this.queue = queue;
    this.reviews = reviews;
    this.history = history;
    this.caller = caller;
  }

  /** The next labels to review, oldest first (of one project, or all). */
  @GET
  @Path("/queue")
  public List<ReviewItem> queue(
      @QueryParam("project") String project, @QueryParam("limit") String limit) {
    return queue.next(
        caller.id(),
        Params.uuid("project", project),
        Params.integer("limit", limit, 20, 1, Integer.MAX_VALUE));
  }

  /** One label as a reviewer sees it, whether or not a queue holds it. */
  @GET
  @Path("/labels/{labelId}")
  public ReviewItem label(@PathParam("labelId") UUID labelId) {
    return queue.one(labelId);
  }

  /** Accepts, rejects or corrects a label; 201 with the review. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response decide(ReviewService.Decision body) {
    LabelReview review = reviews.decide(caller.id(), body);
    return Response.status(Response.Status.CREATED).entity(history.one(review.id)).build();
  }

  @GET
  @RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
  public List<ReviewHistory.ReviewView> list(
      @QueryParam("project") String project,
      @QueryParam("contractor") String contractor,
      @QueryParam("outcome") String outcome,
      @QueryParam("limit") @DefaultValue("100") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    return history.list(Params.uuid("project", project), contractor, outcome, limit, offset);
  }
}
