package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.domain.CompletionRating;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.mapping.AssignmentView;
import dev.rlhf.labeling.mapping.RatingView;
import dev.rlhf.labeling.service.AssignmentQueries;
import dev.rlhf.labeling.service.DemonstrationService;
import dev.rlhf.labeling.service.DemonstrationService.DemonstrationInput;
import dev.rlhf.labeling.service.RankingService;
import dev.rlhf.labeling.service.RankingService.RankingInput;
import dev.rlhf.labeling.service.RatingService;
import dev.rlhf.labeling.service.SubmissionReceipt;
import dev.rlhf.labeling.service.TaskDistributor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** A contractor's work: take the next task, read and answer their own assignments. */
@Path("/api/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.CONTRACTOR_NAME)
public class AssignmentResource {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Why a contractor skips. */
  public record SkipRequest(String reason) {}

  /** Ratings of some of the assignment's completions. */
  public record RatingsRequest(List<RatingService.RatingInput> ratings) {}

  private final Caller caller;
  private final TaskDistributor distributor;
  private final AssignmentQueries queries;
  private final DemonstrationService demonstrations;
  private final RankingService rankings;
  private final RatingService ratings;

  AssignmentResource(
      Caller caller,
      TaskDistributor distributor,
      AssignmentQueries queries,
      DemonstrationService demonstrations,
      RankingService rankings,
      RatingService ratings) {
    this.caller = caller;
    this.distributor = distributor;
    this.queries = queries;
    this.demonstrations = demonstrations;
    this.rankings = rankings;
    this.ratings = ratings;
  }

  @GET
  public List<AssignmentView> mine(@QueryParam("state") String state) {
    return queries.mine(caller.id(), Params.enumValue("state", state, AssignmentState.class));
  }

  @GET
  @Path("/{id}")
  public AssignmentView one(@PathParam("id") UUID id) {
    return queries.own(id, caller.id());
  }

  @POST
  @Path("/{id}/demonstration")
  public Response demonstration(
      @PathParam("id") UUID id,
      @HeaderParam(IDEMPOTENCY_KEY) String key,
      DemonstrationInput input) {
    return created(demonstrations.submit(id, caller.id(), caller.username(), key, input));
  }

  @POST
  @Path("/{id}/ranking")
  public Response ranking(
      @PathParam("id") UUID id, @HeaderParam(IDEMPOTENCY_KEY) String key, RankingInput input) {
    return created(rankings.submit(id, caller.id(), caller.username(), key, input));
  }

  /** Answers the ratings now stored for the completions sent (a withdrawn one is absent). */
  @PUT
  @Path("/{id}/ratings")
  public List<RatingView> rate(@PathParam("id") UUID id, RatingsRequest request) {
    List<CompletionRating> saved =
        ratings.rate(id, caller.id(), request == null ? null : request.ratings());
    return saved.stream().map(RatingView::of).toList();
  }

  @POST
  @Path("/{id}/skip")
  public AssignmentView skip(@PathParam("id") UUID id, SkipRequest request) {
    distributor.skip(id, caller.id(), request == null ? null : request.reason());
    return queries.own(id, caller.id());
  }

  private static Response created(SubmissionReceipt receipt) {
    return Response.status(Response.Status.CREATED).entity(receipt).build();
  }
}
