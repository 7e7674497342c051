package dev.rlhf.labeling.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one set of exception mappers: every refused request gets a problem+json body. */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem problem) {
    return problem(problem.status(), problem.title(), problem.getMessage(), problem.field());
  }

  @ServerExceptionMapper
  public Response unreadableJson(JsonProcessingException e) {
    String field = null;
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      field =
          mapping.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
    }
    return problem(400, "Unreadable JSON", e.getOriginalMessage(), field);
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

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 401 || status == 403) return e.getResponse();
    return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null);
  }

  static Response problem(int status, String title, String detail, String field) {
    ProblemDetail body =
        new ProblemDetail(
            "about:blank", title, status, detail, field, field == null ? null : List.of(field));
    return Response.status(status).type(ProblemDetail.MEDIA_TYPE).entity(body).build();
  }
}
