package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.service.AssignmentQueries;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Who is signed in, and signing out. Signing in is the login form's POST to /j_security_check
 * (fields j_username, j_password), which sets the session cookie.
 */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class SessionResource {

  /** The signed-in account, for the web front end to choose what to show. */
  public record Me(String username, List<String> roles) {}

  private final SecurityIdentity identity;
  private final AssignmentQueries queries;
  private final Caller caller;

  SessionResource(SecurityIdentity identity, AssignmentQueries queries, Caller caller) {
    this.identity = identity;
    this.queries = queries;
    this.caller = caller;
  }

  /** A contractor's own totals. */
  @GET
  @Path("/statistics")
  @RolesAllowed(Role.CONTRACTOR_NAME)
  public AssignmentQueries.ContractorStatistics statistics() {
    return queries.statistics(caller.id());
  }

  @GET
  public Me me() {
    return new Me(
        identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
  }

  /** Drops the session cookie; basic-auth clients have nothing to sign out of. */
  @POST
  @Path("/logout")
  @Consumes(MediaType.WILDCARD)
  public Response logout() {
    NewCookie expired =
        new NewCookie.Builder("quarkus-credential")
            .path("/")
            .maxAge(0)
            .httpOnly(true)
            .value("")
            .build();
    return Response.noContent().cookie(expired).build();
  }
}
