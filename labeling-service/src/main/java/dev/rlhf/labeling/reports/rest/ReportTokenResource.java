package dev.rlhf.labeling.reports.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.reports.domain.ReportApiToken;
import dev.rlhf.labeling.reports.service.ReportTokens;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admins issue and revoke the API tokens production systems send reports with. */
@Path("/api/admin/report-tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class ReportTokenResource {

  public record NewToken(String source) {}

  /** A token without its secret, which is never shown again after issue. */
  public record TokenView(
      UUID id, String source, String createdBy, Instant createdAt, Instant revokedAt) {
    static TokenView of(ReportApiToken t) {
      return new TokenView(t.id, t.source, t.createdBy, t.createdAt, t.revokedAt);
    }
  }

  private final ReportTokens tokens;
  private final Caller caller;

  ReportTokenResource(ReportTokens tokens, Caller caller) {
    this.tokens = tokens;
    this.caller = caller;
  }

  @GET
  public List<TokenView> list() {
    return tokens.list().stream().map(TokenView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response issue(NewToken body) {
    ReportTokens.IssuedToken issued =
        tokens.issue(body == null ? null : body.source(), caller.username());
    return Response.status(Response.Status.CREATED).entity(issued).build();
  }

  @POST
  @Path("/{id}/revoke")
  @Consumes(MediaType.WILDCARD)
  public TokenView revoke(@PathParam("id") UUID id) {
    return TokenView.of(tokens.revoke(id));
  }
}
