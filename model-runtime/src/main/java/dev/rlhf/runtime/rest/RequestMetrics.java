package dev.rlhf.runtime.rest;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Counts the OpenAI API's answers by endpoint and status, so 429s and 400s show on a dashboard. */
public class RequestMetrics {

  private final MeterRegistry meters;

  RequestMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @ServerResponseFilter
  public void count(ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/v1/")) {
      meters
          .counter(
              "rlhf.runtime.requests",
              "endpoint",
              path,
              "status",
              Integer.toString(response.getStatus()))
          .increment();
    }
  }
}
