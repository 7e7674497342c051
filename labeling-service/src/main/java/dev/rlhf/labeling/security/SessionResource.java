package dev.rlhf.labeling.security;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import dev.rlhf.labeling.rest.ProblemMappers;
import dev.rlhf.labeling.service.AccountService;
import dev.rlhf.labeling.service.AssignmentQueries;
import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Who is signed in, signing out and changing one's password. Signing in is {@link LoginResource}.
 */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class SessionResource {

  /** The signed-in account, for the web front end to choose what to show. */
  public record Me(String username, List<String> roles) {
    static Me of(AccountLookup.StoredAccount account) {
      return new Me(
          account.username(),
          Role.split(account.roles()).stream().map(Role::roleName).sorted().toList());
    }
  }

  public record PasswordChange(String currentPassword, String newPassword) {}

  private final SecurityIdentity identity;
  private final AssignmentQueries queries;
  private final Caller caller;
  private final SessionStore sessions;
  private final PasswordCheck passwords;
  private final AccountService accounts;

  SessionResource(
      SecurityIdentity identity,
      AssignmentQueries queries,
      Caller caller,
      SessionStore sessions,
      PasswordCheck passwords,
      AccountService accounts) {
    this.identity = identity;
    this.queries = queries;
    this.caller = caller;
    this.sessions = sessions;
    this.passwords = passwords;
    this.accounts = accounts;
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

  /** Ends this browser session for good; basic-auth clients have nothing to sign out of. */
  @POST
  @Path("/logout")
  @Consumes(MediaType.WILDCARD)
  public Response logout(@Context HttpServerRequest request) {
    if (Identities.sessionId(identity) != null) sessions.close(Identities.sessionId(identity));
    return Response.noContent().cookie(SessionCookies.expired(request)).build();
  }

  /**
   * Changes the caller's password, given the current one (checked and throttled like a sign-in).
   * Every other session of the account ends; this one stays.
   */
  @POST
  @Path("/password")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response changePassword(PasswordChange body, @Context HttpServerRequest request) {
    PasswordChange change = body == null ? new PasswordChange(null, null) : body;
    // Before the current password is checked: a refused new one costs no bcrypt and no guess.
    PasswordPolicy.require("newPassword", change.newPassword());
    try {
      passwords.verify(caller.username(), change.currentPassword(), ClientAddress.of(request));
    } catch (AuthenticationFailedException e) {
      return LoginResource.refused(
          e,
          ProblemMappers.problem(
              422, "Invalid input", "the current password is not right", "currentPassword"));
    }
    accounts.changePassword(caller.id(), change.newPassword(), Identities.sessionId(identity));
    return Response.noContent().build();
  }
}
