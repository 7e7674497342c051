package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.workers.WorkerRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** Which worker processes (trainers, runtime) are up, and on which device. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class WorkerResource {

  /** One worker as shown to operators. */
  public record OnlineWorker(
      String workerId, String service, String device, Instant startedAt, Instant lastSeenAt) {}

  private final WorkerRegistry registry;

  WorkerResource(WorkerRegistry registry) {
    this.registry = registry;
  }

  /** The workers seen recently, or every worker ever seen with {@code includeOffline}. */
  @GET
  public List<OnlineWorker> list(@QueryParam("includeOffline") boolean includeOffline) {
    return (includeOffline ? registry.all() : registry.online())
        .stream()
            .map(w -> new OnlineWorker(w.workerId, w.service, w.device, w.startedAt, w.lastSeenAt))
            .toList();
  }
}
