package dev.rlhf.labeling.review;

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
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Researchers and reviewers put contractors under watch: all their labels go to review. */
@Path("/api/watched-contractors")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class WatchResource {

  /** Why the contractor is watched. */
  public record WatchRequest(String reason) {}

  private final Watchlist watchlist;
  private final Caller caller;

  WatchResource(Watchlist watchlist, Caller caller) {
    this.watchlist = watchlist;
    this.caller = caller;
  }

  @GET
  public List<Watchlist.Watched> list() {
    return watchlist.list();
  }

  @PUT
  @Path("/{username}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Watchlist.Watched watch(@PathParam("username") String username, WatchRequest body) {
    return watchlist.watch(username, body == null ? null : body.reason(), caller.username());
  }

  @DELETE
  @Path("/{username}")
  public Response unwatch(@PathParam("username") String username) {
    watchlist.unwatch(username);
    return Response.noContent().build();
  }
}
