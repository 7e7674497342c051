package dev.rlhf.labeling.cycles;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.EventCodec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A cycle's live stream as server-sent events: "progress" (id = the progress row, so a reconnect
 * with Last-Event-ID resumes where it stopped), "cycle" whenever the cycle or a stage changes
 * state, and "end" once the cycle is finished and everything was sent. It polls PostgreSQL, the one
 * place all state lives, so it works the same after a restart and behind several service instances.
 */
@ApplicationScoped
public class CycleEventStream {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(400);
  private static final int BATCH = 500;
  private static final List<OutboundSseEvent> FINISHED = List.of();

  private final ProgressQueries queries;
  private final LabelSnapshot snapshot;

  CycleEventStream(ProgressQueries queries, LabelSnapshot snapshot) {
    this.queries = queries;
    this.snapshot = snapshot;
  }

  public Multi<OutboundSseEvent> open(UUID cycleId, long afterProgressId, Sse sse) {
    Poller poller = new Poller(cycleId, afterProgressId, sse);
    return Multi.createBy()
        .repeating()
        .uni(
            () ->
                Uni.createFrom()
                    .item(Boolean.TRUE)
                    .onItem()
                    .delayIt()
                    .by(POLL_INTERVAL)
                    // Polling reads PostgreSQL: never on the event loop the delay ends on.
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(ignored -> poller.poll()))
        .until(events -> events == FINISHED)
        .onItem()
        .transformToIterable(events -> events);
  }

  /** The state of one subscriber's stream: what it has been sent so far. */
  private final class Poller {
    private final UUID cycleId;
    private final Sse sse;
    private long lastProgressId;
    private String lastState;
    private boolean ended;

    Poller(UUID cycleId, long afterProgressId, Sse sse) {
      this.cycleId = cycleId;
      this.lastProgressId = afterProgressId;
      this.sse = sse;
    }

    List<OutboundSseEvent> poll() {
      if (ended) return FINISHED;
      List<OutboundSseEvent> out = new ArrayList<>();
      // The state is read before the progress, so "end" never overtakes progress stored earlier.
      String state = queries.stateFingerprint(cycleId);
      List<ProgressQueries.ProgressPoint> points = queries.after(cycleId, lastProgressId, BATCH);
      for (ProgressQueries.ProgressPoint point : points) {
        out.add(event("progress", String.valueOf(point.id()), point));
        lastProgressId = point.id();
      }
      if (state != null && !state.equals(lastState)) {
        lastState = state;
        CycleView view =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> CycleView.of(TrainingCycle.findById(cycleId), snapshot.counts(cycleId)));
        out.add(event("cycle", null, view));
      }
      boolean finished = state == null || !state.startsWith(CycleState.RUNNING.name() + ":");
      if (finished && points.size() < BATCH) {
        out.add(
            event("end", null, state == null ? "gone" : state.substring(0, state.indexOf(':'))));
        ended = true;
      }
      return out;
    }

    private OutboundSseEvent event(String name, String id, Object data) {
      var builder = sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE);
      if (id != null) builder.id(id);
      try {
        return builder.data(String.class, EventCodec.mapper().writeValueAsString(data)).build();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a " + name + " event", e);
      }
    }
  }
}
