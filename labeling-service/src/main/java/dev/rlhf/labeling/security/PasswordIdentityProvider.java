package dev.rlhf.labeling.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Basic auth: a username and password with every request, checked by {@link PasswordCheck}. */
@ApplicationScoped
public class PasswordIdentityProvider
    implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

  private final PasswordCheck passwords;

  PasswordIdentityProvider(PasswordCheck passwords) {
    this.passwords = passwords;
  }

  @Override
  public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
    return UsernamePasswordAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
    String address =
        ClientAddress.of(HttpSecurityUtils.getRoutingContextAttribute(request).request());
    return context.runBlocking(
        () ->
            Identities.of(
                passwords.verify(
                    request.getUsername(),
                    new String(request.getPassword().getPassword()),
                    address),
                null));
  }
}
