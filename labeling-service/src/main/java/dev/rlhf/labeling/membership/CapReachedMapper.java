package dev.rlhf.labeling.membership;

import dev.rlhf.labeling.rest.ProblemMappers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A reached cap is a 429 problem that says, in Retry-After, when the next task may be taken. */
public class CapReachedMapper {

  @ServerExceptionMapper
  public Response capReached(CapReached e) {
    long seconds = Math.max(1, Duration.between(Instant.now(), e.retryAt()).toSeconds() + 1);
    Response problem = ProblemMappers.problem(e.status(), e.title(), e.getMessage(), e.field());
    return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, seconds).build();
  }
}
