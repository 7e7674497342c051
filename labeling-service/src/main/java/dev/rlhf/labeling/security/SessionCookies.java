package dev.rlhf.labeling.security;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's request
 * carries it), Secure whenever the service is reached over TLS, directly or through a proxy that
 * says so. No Max-Age: the browser drops it when it closes; the server ends it earlier.
 */
final class SessionCookies {

  private SessionCookies() {}

  static NewCookie of(String token, HttpServerRequest request) {
    return builder(request).value(token).build();
  }

  static NewCookie expired(HttpServerRequest request) {
    return builder(request).value("").maxAge(0).build();
  }

  private static NewCookie.Builder builder(HttpServerRequest request) {
    return new NewCookie.Builder(SessionCookieMechanism.COOKIE)
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .secure("https".equals(request.scheme()));
  }
}
