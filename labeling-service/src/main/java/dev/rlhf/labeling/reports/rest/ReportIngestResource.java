package dev.rlhf.labeling.reports.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.labeling.reports.rest.ReportBodies.ReportRequest;
import dev.rlhf.labeling.reports.service.ReportIntake;
import dev.rlhf.labeling.reports.service.ReportRejected;
import dev.rlhf.labeling.reports.service.ReportTokens;
import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Where production systems post misbehavior reports, with an API token an admin issued. The token
 * is checked here rather than by a sign-in mechanism: it is no user account and grants nothing
 * else, and the token is checked before the body is parsed, so strangers learn nothing from errors.
 * The token check and the report share one transaction: one connection and one commit a request.
 */
@Path("/api")
@PermitAll
public class ReportIngestResource {

  private final ReportTokens tokens;
  private final ReportIntake intake;
  private final ObjectMapper mapper;

  ReportIngestResource(ReportTokens tokens, ReportIntake intake, ObjectMapper mapper) {
    this.tokens = tokens;
    this.intake = intake;
    this.mapper = mapper;
  }

  /** 201 with the new report's id, or 200 when it was merged into a stored one (count raised). */
  @POST
  @Path("/reports")
  @Transactional
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response report(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
    String source = tokens.sourceOf(authorization);
    ReportRequest request = ReportBodies.read(mapper, body, ReportRequest.class);
    ReportIntake.Receipt receipt;
    try {
      receipt = intake.ingest(request.withSource(source));
    } catch (ReportRejected e) {
      throw ReportBodies.badRequest(e);
    }
    if (receipt.merged()) return Response.ok(receipt).build();
    return Response.created(URI.create("/api/reports/" + receipt.reportId()))
        .entity(receipt)
        .build();
  }
}
