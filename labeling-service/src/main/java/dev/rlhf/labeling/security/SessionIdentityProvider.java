package dev.rlhf.labeling.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Restores the identity behind a login-form session cookie. Roles are read afresh on every request,
 * so a role change or a deactivation applies to open sessions at once.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

  private final AccountLookup accounts;

  SessionIdentityProvider(AccountLookup accounts) {
    this.accounts = accounts;
  }

  @Override
  public Class<TrustedAuthenticationRequest> getRequestType() {
    return TrustedAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () ->
            accounts
                .find(request.getPrincipal())
                .filter(AccountLookup.StoredAccount::active)
                .map(Identities::of)
                .orElseThrow(AuthenticationFailedException::new));
  }
}
