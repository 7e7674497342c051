package dev.rlhf.labeling.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rlhf.events.ErrorText;
import dev.rlhf.labeling.service.ApiProblem;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one set of exception mappers: every refused request gets a problem+json body. */
public class ProblemMappers {

  private final OutageResponses outages;

  ProblemMappers(OutageResponses outages) {
    this.outages = outages;
  }

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem problem) {
    return problem(problem.status(), problem.title(), problem.getMessage(), problem.field());
  }

  @ServerExceptionMapper
  public Response unreadableJson(JsonProcessingException e) {
    return problem(400, "Unreadable JSON", ErrorText.describe(e), ErrorText.field(e));
  }

  // Quarkus has its own mappers for these two; ours answer with a problem body instead.
  @ServerExceptionMapper
  public Response unparsableJson(com.fasterxml.jackson.core.JsonParseException e) {
    return unreadableJson(e);
  }

  @ServerExceptionMapper
  public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
    return unreadableJson(e);
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return problem(404, "Not found", e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response illegalArgument(IllegalArgumentException e) {
    return problem(422, "Invalid input", e.getMessage(), null);
  }

  /**
   * A dependency away (the database restarting, say) is a 503 with {@code Retry-After}. Anything
   * else is our fault: the answer says so without a stack trace or a class name, and the log has
   * the whole story under the id the answer gives.
   */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    Optional<Response> outage = outages.response(e);
    if (outage.isPresent()) return outage.get();
    String id = UUID.randomUUID().toString();
    Log.errorf(e, "request failed (error id %s)", id);
    return problem(500, "Internal error", "the request failed; error id " + id, null);
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 401 || status == 403) return e.getResponse();
    return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null);
  }

  public static Response problem(int status, String title, String detail, String field) {
    ProblemDetail body = ProblemDetail.of(status, title, ErrorText.scrub(detail), field);
    return Response.status(status).type(ProblemDetail.MEDIA_TYPE).entity(body).build();
  }
}
