package dev.rlhf.runtime.rest;

import dev.rlhf.runtime.registry.NoVersionServedException;
import dev.rlhf.runtime.registry.UnknownVersionException;
import dev.rlhf.runtime.service.InvalidRequestException;
import dev.rlhf.runtime.service.OverloadedException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as RFC 9457 {@code application/problem+json}, naming the field at fault where one is. */
public class ProblemResponses {

  static final String PROBLEM_JSON = "application/problem+json";

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return problem(400, "Invalid request", e.getMessage(), e.field());
  }

  @ServerExceptionMapper
  public Response unknownVersion(UnknownVersionException e) {
    return problem(404, "Unknown model", e.getMessage(), "model");
  }

  @ServerExceptionMapper
  public Response overloaded(OverloadedException e) {
    return Response.fromResponse(problem(429, "Too many requests", e.getMessage(), null))
        .header("Retry-After", "1")
        .build();
  }

  @ServerExceptionMapper
  public Response notReady(NoVersionServedException e) {
    return Response.fromResponse(problem(503, "Not ready", e.getMessage(), null))
        .header("Retry-After", "5")
        .build();
  }

  private static Response problem(int status, String title, String detail, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (field != null) {
      body.put("field", field);
    }
    return Response.status(status).type(PROBLEM_JSON).entity(body).build();
  }
}
