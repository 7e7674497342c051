package dev.rlhf.labeling.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Restores the identity behind a session cookie. The account is read afresh on every request, so a
 * role change or a deactivation applies to open sessions at once.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionTokenRequest> {

  private final SessionStore sessions;

  SessionIdentityProvider(SessionStore sessions) {
    this.sessions = sessions;
  }

  @Override
  public Class<SessionTokenRequest> getRequestType() {
    return SessionTokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      SessionTokenRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () ->
            sessions
                .find(request.token())
                .filter(s -> s.account().active())
                .map(s -> Identities.of(s.account(), s.id()))
                .orElseThrow(AuthenticationFailedException::new));
  }
}
