package dev.rlhf.labeling.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks a username and password (basic auth and the login form) against the bcrypt hash stored
 * with the account. Deactivated accounts are refused.
 */
@ApplicationScoped
public class PasswordIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  private final AccountLookup accounts;
  private final VerifiedCredentials verified;

  PasswordIdentityProvider(AccountLookup accounts, VerifiedCredentials verified) {
    this.accounts = accounts;
    this.verified = verified;
  }

  @Override
  public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
    return UsernamePasswordAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () -> {
          String password = new String(request.getPassword().getPassword());
          var account =
              accounts
                  .find(request.getUsername())
                  .filter(AccountLookup.StoredAccount::active)
                  .orElseThrow(AuthenticationFailedException::new);
          if (!verified.isVerified(account.username(), account.passwordHash(), password)) {
            if (!BcryptUtil.matches(password, account.passwordHash())) {
              throw new AuthenticationFailedException();
            }
            verified.remember(account.username(), account.passwordHash(), password);
          }
          return Identities.of(account);
        });
  }
}
