package dev.rlhf.labeling.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Signs browsers in with the session cookie {@link LoginResource} sets. A cookie of a session that
 * ended counts as no cookie: the request goes on unauthenticated (the sign-in page must still
 * load).
 */
@ApplicationScoped
public class SessionCookieMechanism implements HttpAuthenticationMechanism {

  public static final String COOKIE = "rlhf-session";

  // Above basic auth's 2000: an unauthenticated request gets this mechanism's challenge, a bare
  // 401, not basic auth's, which would make browsers pop up their own password dialog.
  private static final int PRIORITY = 3000;

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    Cookie cookie = context.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isBlank()) return Uni.createFrom().nullItem();
    AuthenticationRequest request =
        HttpSecurityUtils.setRoutingContextAttribute(
            new SessionTokenRequest(cookie.getValue()), context);
    // Only a session that is not (or no longer) valid counts as no cookie. A lookup that failed
    // (the database away, its pool exhausted under load) fails the request instead: answering it
    // 401 would sign a working contractor out in their browser.
    return identityProviderManager
        .authenticate(request)
        .onFailure(AuthenticationFailedException.class)
        .recoverWithNull();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, null, null));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(SessionTokenRequest.class);
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
    return Uni.createFrom()
        .item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, COOKIE));
  }

  @Override
  public int getPriority() {
    return PRIORITY;
  }
}
