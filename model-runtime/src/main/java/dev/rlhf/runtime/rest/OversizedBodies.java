package dev.rlhf.runtime.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused at once with a
 * 413 problem, as every refusal is: Quarkus' own check, just after this one, answers without a
 * body, which OpenAI clients show as "413 status code (no body)". The connection is closed: the
 * rest of the body is not read.
 */
@ApplicationScoped
public class OversizedBodies {

  // Before Quarkus' upload limit check (route order -2, a filter priority of 2).
  private static final int PRIORITY = 100;

  private final long limit;

  OversizedBodies(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize limit) {
    this.limit = limit.asLongValue();
  }

  void register(@Observes Filters filters) {
    filters.register(this::check, PRIORITY);
  }

  private void check(RoutingContext context) {
    String length = context.request().getHeader("Content-Length");
    if (length == null || !length.matches("\\d{1,18}") || Long.parseLong(length) <= limit) {
      context.next();
      return;
    }
    context.response().putHeader("Connection", "close");
    context.response().endHandler(ended -> context.request().connection().close());
    context
        .response()
        .setStatusCode(413)
        .putHeader("Content-Type", ProblemResponses.PROBLEM_JSON)
        .end(
            Json.encode(
                ProblemResponses.body(
                    413,
                    "Request entity too large",
                    "the body is larger than " + limit + " bytes",
                    "body")));
  }
}
