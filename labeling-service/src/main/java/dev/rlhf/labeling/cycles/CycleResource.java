package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.registry.LabelEvent;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.service.ApiProblem;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Training cycles: start, watch (history and live), list the frozen labels, cancel. */
@Path("/api/cycles")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.RESEARCHER_NAME, Role.REVIEWER_NAME, Role.ADMIN_NAME})
public class CycleResource {

  private final CycleService cycles;
  private final LabelSnapshot snapshot;
  private final ProgressQueries progress;
  private final CycleEventStream stream;
  private final Caller caller;

  CycleResource(
      CycleService cycles,
      LabelSnapshot snapshot,
      ProgressQueries progress,
      CycleEventStream stream,
      Caller caller) {
    this.cycles = cycles;
    this.snapshot = snapshot;
    this.progress = progress;
    this.stream = stream;
    this.caller = caller;
  }

  /** Every stage's hyper-parameters with the trainers' defaults, for the start form. */
  @GET
  @Path("/defaults")
  public Map<TrainingStage, Map<String, String>> defaults() {
    return HyperParameterDefaults.all();
  }

  @GET
  public List<CycleView> list(@QueryParam("limit") @DefaultValue("50") int limit) {
    if (limit < 1 || limit > 500) throw ApiProblem.invalid("limit", "limit is 1..500");
    return TrainingCycle.<TrainingCycle>find("order by createdAt desc")
        .page(0, limit)
        .list()
        .stream()
        .map(c -> CycleView.of(c, snapshot.counts(c.id)))
        .toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public Response start(StartCycle body) {
    TrainingCycle cycle = cycles.start(body, caller.username());
    return Response.status(Response.Status.CREATED)
        .entity(CycleView.of(cycle, snapshot.counts(cycle.id)))
        .build();
  }

  @GET
  @Path("/{id}")
  public CycleView one(@PathParam("id") UUID id) {
    TrainingCycle cycle = cycles.find(id);
    return CycleView.of(cycle, snapshot.counts(id));
  }

  /** The progress reported so far, oldest first; {@code after} pages on by progress id. */
  @GET
  @Path("/{id}/progress")
  public List<ProgressQueries.ProgressPoint> progress(
      @PathParam("id") UUID id,
      @QueryParam("after") @DefaultValue("0") long after,
      @QueryParam("limit") @DefaultValue("5000") int limit) {
    cycles.find(id);
    if (limit < 1 || limit > 10_000) throw ApiProblem.invalid("limit", "limit is 1..10000");
    return progress.after(id, after, limit);
  }

  /** The very labels the cycle trains on. */
  @GET
  @Path("/{id}/labels")
  public List<LabelEvent> labels(
      @PathParam("id") UUID id,
      @QueryParam("limit") @DefaultValue("1000") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    cycles.find(id);
    if (limit < 1 || limit > 10_000 || offset < 0) {
      throw ApiProblem.invalid("limit", "limit 1..10000 and offset >= 0");
    }
    return progress.snapshotLabels(id, limit, offset);
  }

  @POST
  @Path("/{id}/cancel")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public CycleView cancel(@PathParam("id") UUID id) {
    TrainingCycle cycle = cycles.cancel(id, caller.username());
    return CycleView.of(cycle, snapshot.counts(id));
  }

  /** A new cycle from the stage this failed or cancelled one did not finish; 201 with it. */
  @POST
  @Path("/{id}/retry")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({Role.RESEARCHER_NAME, Role.ADMIN_NAME})
  public Response retry(@PathParam("id") UUID id) {
    TrainingCycle cycle = cycles.retry(id, caller.username());
    return Response.status(Response.Status.CREATED)
        .entity(CycleView.of(cycle, snapshot.counts(cycle.id)))
        .build();
  }

  /** Live progress and state changes as server-sent events; see {@link CycleEventStream}. */
  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Blocking
  public Multi<OutboundSseEvent> events(
      @PathParam("id") UUID id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @QueryParam("after") @DefaultValue("0") long after,
      @Context Sse sse) {
    cycles.find(id);
    long resumeAfter = after;
    if (lastEventId != null && lastEventId.matches("\\d{1,18}")) {
      resumeAfter = Long.parseLong(lastEventId);
    }
    return stream.open(id, resumeAfter, sse);
  }
}
