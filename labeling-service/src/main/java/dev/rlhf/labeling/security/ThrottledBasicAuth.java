package dev.rlhf.labeling.security;

import dev.rlhf.labeling.rest.ProblemDetail;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.OptionalLong;

/**
 * A basic-auth request refused by {@link LoginThrottle} is answered 429 with {@code Retry-After},
 * not with the usual 401 challenge: the script should wait, not ask for another password.
 */
@ApplicationScoped
public class ThrottledBasicAuth {

  void register(@Observes Router router) {
    // Failure handlers run in route order; this one comes before Quarkus' authentication failure
    // handler, which would answer the challenge.
    router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
  }

  private void handle(RoutingContext context) {
    Throwable failure = context.failure();
    if (failure == null) failure = HttpSecurityUtils.getAuthenticationFailureFromEvent(context);
    OptionalLong wait = LoginThrottle.retryAfterSeconds(failure);
    if (wait.isEmpty() || context.response().ended()) {
      context.next();
      return;
    }
    context.response().putHeader("Retry-After", Long.toString(wait.getAsLong()));
    ProblemDetail.of(
            429,
            "Too many requests",
            "too many failed sign-ins; try again in " + wait.getAsLong() + " s",
            null)
        .send(context);
  }
}
