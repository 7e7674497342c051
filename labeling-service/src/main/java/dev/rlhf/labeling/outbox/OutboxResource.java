package dev.rlhf.labeling.outbox;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The events waiting in the outbox, and the parked ones, for admins. */
@Path("/api/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class OutboxResource {

  private final OutboxBacklog backlog;

  OutboxResource(OutboxBacklog backlog) {
    this.backlog = backlog;
  }

  @GET
  public OutboxBacklog.Backlog backlog() {
    return backlog.backlog();
  }

  /** Sends a parked event again, once what made the broker refuse it is fixed. */
  @POST
  @Path("/{id}/send-again")
  @Consumes(MediaType.WILDCARD)
  public OutboxBacklog.Backlog sendAgain(@PathParam("id") long id) {
    if (!backlog.sendAgain(id)) throw ApiProblem.notFound("parked outbox event " + id);
    return backlog.backlog();
  }
}
