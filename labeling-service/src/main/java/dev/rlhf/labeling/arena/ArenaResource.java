package dev.rlhf.labeling.arena;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The version arena: put prompts to two versions, and the leaderboard of the votes. */
@Path("/api/arena")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class ArenaResource {

  public record MatchView(
      UUID id, UUID promptId, String versionA, String versionB, UUID taskId, Instant createdAt) {
    static MatchView of(ArenaMatch m) {
      return new MatchView(m.id, m.promptId, m.versionA, m.versionB, m.taskId, m.createdAt);
    }
  }

  private final ArenaService arena;
  private final Leaderboard leaderboard;
  private final Caller caller;

  ArenaResource(ArenaService arena, Leaderboard leaderboard, Caller caller) {
    this.arena = arena;
    this.leaderboard = leaderboard;
    this.caller = caller;
  }

  /** Requests both versions' completions; the comparison tasks open as the answers arrive (202). */
  @POST
  @Path("/matches")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public Response create(ArenaService.NewMatches body) {
    List<MatchView> made =
        arena.create(body, caller.username()).stream().map(MatchView::of).toList();
    return Response.accepted(made).build();
  }

  @GET
  @Path("/matches")
  public List<MatchView> matches() {
    return ArenaMatch.<ArenaMatch>find("order by createdAt desc").page(0, 200).list().stream()
        .map(MatchView::of)
        .toList();
  }

  @GET
  @Path("/leaderboard")
  public List<Leaderboard.Entry> leaderboard() {
    return leaderboard.current();
  }
}
