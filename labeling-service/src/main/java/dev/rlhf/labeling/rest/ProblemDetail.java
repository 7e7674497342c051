package dev.rlhf.labeling.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The body of every error answer, as {@code application/problem+json} (RFC 9457): what is wrong
 * and, for bad input, which fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(
    String type, String title, int status, String detail, String field, List<String> fields) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static ProblemDetail of(int status, String title, String detail, String field) {
    return new ProblemDetail(
        "about:blank", title, status, detail, field, field == null ? null : List.of(field));
  }

  /**
   * Answers a request with this problem from a Vert.x handler, for refusals made before the request
   * reaches a resource (cross-site checks, throttled basic auth, oversized bodies).
   */
  public void send(RoutingContext context) {
    context
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", MEDIA_TYPE)
        .end(JsonObject.mapFrom(this).encode());
  }
}
