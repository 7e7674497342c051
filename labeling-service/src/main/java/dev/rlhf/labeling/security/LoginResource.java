package dev.rlhf.labeling.security;

import dev.rlhf.labeling.rest.ProblemMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.OptionalLong;

/**
 * The sign-in form posts here: 200 and a session cookie, 401 for a wrong username or password
 * (which of the two is not said), 429 with {@code Retry-After} while guesses are throttled. The
 * path is the servlet convention browsers and scripts know.
 */
@Path("/j_security_check")
@PermitAll
public class LoginResource {

  private final PasswordCheck passwords;
  private final SessionStore sessions;

  LoginResource(PasswordCheck passwords, SessionStore sessions) {
    this.passwords = passwords;
    this.sessions = sessions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Response signIn(
      @FormParam("j_username") String username,
      @FormParam("j_password") String password,
      @Context HttpServerRequest request) {
    // A form without the fields is no guess: refused before any password check or throttling.
    if (username == null || username.isBlank()) {
      return ProblemMappers.problem(400, "Bad request", "j_username is required", "j_username");
    }
    if (password == null || password.isEmpty()) {
      return ProblemMappers.problem(400, "Bad request", "j_password is required", "j_password");
    }
    AccountLookup.StoredAccount account;
    try {
      account = passwords.verify(username, password, ClientAddress.of(request));
    } catch (AuthenticationFailedException e) {
      return refused(
          e, ProblemMappers.problem(401, "Unauthorized", "wrong username or password", null));
    }
    String token = sessions.open(account.id());
    return Response.ok(SessionResource.Me.of(account))
        .cookie(SessionCookies.of(token, request))
        .build();
  }

  /** 429 with {@code Retry-After} when the refusal was throttling, else {@code otherwise}. */
  static Response refused(AuthenticationFailedException e, Response otherwise) {
    OptionalLong wait = LoginThrottle.retryAfterSeconds(e);
    if (wait.isEmpty()) return otherwise;
    return Response.fromResponse(
            ProblemMappers.problem(429, "Too many requests", e.getMessage(), null))
        .header("Retry-After", wait.getAsLong())
        .build();
  }
}
