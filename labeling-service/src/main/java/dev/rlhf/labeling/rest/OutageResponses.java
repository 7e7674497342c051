package dev.rlhf.labeling.rest;

import dev.rlhf.events.kafka.Outages;
import dev.rlhf.labeling.health.DatabaseOutages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A request that failed because a dependency is away (PostgreSQL down or restarting) or every
 * pooled database connection stayed busy is answered 503 with {@code Retry-After}, so clients retry
 * instead of reporting an error, and it is logged once per outage by {@link DatabaseOutages}, not
 * as a stack trace per request. A failure handler on the router sees these failures wherever they
 * happen outside a resource, sign-in included; inside one, {@link ProblemMappers} asks {@link
 * #response} before it would answer 500.
 */
@ApplicationScoped
public class OutageResponses {

  static final String RETRY_AFTER_SECONDS = "5";

  private final DatabaseOutages database;

  OutageResponses(DatabaseOutages database) {
    this.database = database;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 10).failureHandler(this::handle);
  }

  /** The 503 answer to a failure caused by a dependency being away; empty for any other. */
  public Optional<Response> response(Throwable failure) {
    return problem(failure)
        .map(
            problem ->
                Response.status(503)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .type(ProblemDetail.MEDIA_TYPE)
                    .entity(problem)
                    .build());
  }

  private void handle(RoutingContext context) {
    Optional<ProblemDetail> problem = problem(context.failure());
    if (problem.isEmpty() || context.response().headWritten()) {
      context.next();
      return;
    }
    context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    problem.get().send(context);
  }

  private Optional<ProblemDetail> problem(Throwable failure) {
    if (failure == null || !Outages.isOutage(failure)) return Optional.empty();
    if (Outages.isPoolExhausted(failure)) {
      // Busy, not away: no outage to log, the pool's own metrics show it.
      return Optional.of(
          ProblemDetail.of(
              503,
              "Service unavailable",
              "every database connection is in use; retry after " + RETRY_AFTER_SECONDS + " s",
              null));
    }
    boolean databaseAway = causedBy(failure, SQLException.class);
    if (databaseAway) database.failed(failure);
    String away = databaseAway ? "the database" : "a service this request needs";
    return Optional.of(
        ProblemDetail.of(
            503,
            "Service unavailable",
            away + " is unreachable for a moment; retry after " + RETRY_AFTER_SECONDS + " s",
            null));
  }

  /**
   * Whether the failure, a cause or a suppressed exception (a failed commit's) is a {@code type}.
   */
  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    if (failure == null) return false;
    if (type.isInstance(failure)) return true;
    for (Throwable suppressed : failure.getSuppressed()) {
      if (causedBy(suppressed, type)) return true;
    }
    return failure.getCause() != failure && causedBy(failure.getCause(), type);
  }
}
