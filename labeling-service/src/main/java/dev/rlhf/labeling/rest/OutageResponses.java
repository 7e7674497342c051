package dev.rlhf.labeling.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.kafka.Outages;
import dev.rlhf.labeling.health.DatabaseOutages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;

/**
 * A request that failed because a dependency is away (PostgreSQL down or restarting) is answered
 * 503 with {@code Retry-After}, so clients retry instead of reporting an error, and it is logged
 * once per outage by {@link DatabaseOutages}, not as a stack trace per request. A failure handler
 * on the router sees these failures wherever they happen, sign-in included.
 */
@ApplicationScoped
public class OutageResponses {

  static final String RETRY_AFTER_SECONDS = "5";

  private final DatabaseOutages database;
  private final ObjectMapper json;

  OutageResponses(DatabaseOutages database, ObjectMapper json) {
    this.database = database;
    this.json = json;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 10).failureHandler(this::handle);
  }

  private void handle(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure == null || !Outages.isOutage(failure) || context.response().headWritten()) {
      context.next();
      return;
    }
    boolean databaseAway = causedBy(failure, SQLException.class);
    if (databaseAway) database.failed(failure);
    String away = databaseAway ? "the database" : "a service this request needs";
    ProblemDetail problem =
        new ProblemDetail(
            "about:blank",
            "Service unavailable",
            503,
            away + " is unreachable for a moment; retry after " + RETRY_AFTER_SECONDS + " s",
            null,
            null);
    try {
      context
          .response()
          .setStatusCode(503)
          .putHeader("Retry-After", RETRY_AFTER_SECONDS)
          .putHeader("Content-Type", ProblemDetail.MEDIA_TYPE)
          .end(json.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      context.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS).end();
    }
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
