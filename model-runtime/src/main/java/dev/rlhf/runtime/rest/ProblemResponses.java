package dev.rlhf.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.rlhf.events.ErrorText;
import dev.rlhf.runtime.registry.NoVersionServedException;
import dev.rlhf.runtime.registry.UnknownVersionException;
import dev.rlhf.runtime.service.InvalidRequestException;
import dev.rlhf.runtime.service.OverloadedException;
import io.quarkus.logging.Log;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors as RFC 9457 {@code application/problem+json}, naming the field at fault where one is. The
 * body also carries OpenAI's {@code error} member ({@code message}, {@code type}, {@code param},
 * {@code code}), which is all the OpenAI clients read: without it the JavaScript client shows "400
 * status code (no body)".
 */
public class ProblemResponses {

  static final String PROBLEM_JSON = "application/problem+json";

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return problem(400, "Invalid request", e.getMessage(), e.field());
  }

  /**
   * A body that does not bind to the request (a number where text belongs, an object where a list
   * does): left to the framework, it is a 400 with an empty body. The framework has its own mapper
   * for the mismatch, so it is named here as well as its parent. (Malformed JSON is answered by the
   * framework before any mapper.)
   */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return unreadable(e);
  }

  @ServerExceptionMapper
  public Response unreadable(JsonProcessingException e) {
    String field = ErrorText.field(e);
    String detail =
        field == null
            ? "the body is not the JSON this endpoint reads: " + ErrorText.describe(e)
            : field + " has the wrong type: " + ErrorText.describe(e);
    return problem(400, "Invalid request", detail, field);
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
    Response problem = problem(503, "Not ready", e.getMessage(), null);
    // Retrying a base that failed does not help until an operator acts.
    return e.retryable()
        ? Response.fromResponse(problem).header("Retry-After", "5").build()
        : problem;
  }

  /** No key, or one that is not live: OpenAI clients show the message, e.g. on a wrong key. */
  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return Response.fromResponse(
            problem(
                401,
                "Unauthorized",
                "a valid API key is required: Authorization: Bearer <key>",
                "Authorization"))
        .header("WWW-Authenticate", "Bearer")
        .build();
  }

  /** The framework's own refusals (malformed JSON, unknown paths, wrong methods) as problems. */
  @ServerExceptionMapper
  public Response framework(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String reason = e.getResponse().getStatusInfo().getReasonPhrase();
    return problem(status, reason, reason, null);
  }

  /** Our fault: the log has the story under the id the answer gives, the answer no internals. */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    String id = UUID.randomUUID().toString();
    Log.errorf(e, "request failed (error id %s)", id);
    return problem(500, "Internal error", "the request failed; error id " + id, null);
  }

  private static Response problem(int status, String title, String detail, String field) {
    return Response.status(status)
        .type(PROBLEM_JSON)
        .entity(body(status, title, detail, field))
        .build();
  }

  /** The problem's body, with OpenAI's {@code error} member. */
  static Map<String, Object> body(int status, String title, String detail, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", ErrorText.scrub(detail));
    if (field != null) {
      body.put("field", field);
    }
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", ErrorText.scrub(detail));
    error.put(
        "type",
        switch (status) {
          case 429 -> "rate_limit_error";
          case 500, 503 -> "server_error";
          default -> "invalid_request_error";
        });
    error.put("param", field);
    error.put("code", status == 404 ? "model_not_found" : status == 401 ? "invalid_api_key" : null);
    body.put("error", error);
    return body;
  }
}
