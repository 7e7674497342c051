package dev.rlhf.labeling.security;

import dev.rlhf.labeling.rest.ProblemDetail;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses state changes another site could have made a signed-in browser send (CSRF), before any
 * sign-in is looked at, so the login form is covered too. SameSite=Strict alone does not do: a page
 * on another port of the same host is the same site. A request that changes state (any method but
 * GET, HEAD, OPTIONS) must
 *
 * <ul>
 *   <li>carry a JSON (or other non-form) content type or an {@code X-Requested-With} header: a page
 *       of another origin cannot send either without a CORS preflight, which this service never
 *       grants;
 *   <li>come from this service's own origin (or one configured) when it says where it comes from
 *       ({@code Origin});
 *   <li>say where it comes from when it carries the session cookie: browsers always do for these
 *       methods, so only a forgery lacks it. Scripts with basic auth or a token send no cookie.
 * </ul>
 */
@ApplicationScoped
public class CrossSiteRequestGuard {

  // Before authentication (200) and CORS (300): refused requests never reach a password check.
  private static final int PRIORITY = 310;
  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  // What an HTML form (or a no-cors fetch) can send without a preflight.
  private static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");
  public static final String HEADER = "X-Requested-With";

  private final List<String> allowedOrigins;

  CrossSiteRequestGuard(SecuritySettings settings) {
    this.allowedOrigins =
        settings.allowedOrigins().orElse(List.of()).stream()
            .map(CrossSiteRequestGuard::normal)
            .toList();
  }

  void register(@Observes Filters filters) {
    filters.register(this::check, PRIORITY);
  }

  private void check(RoutingContext context) {
    HttpServerRequest request = context.request();
    String refusal = SAFE.contains(request.method()) ? null : refusal(request);
    if (refusal == null) {
      context.next();
      return;
    }
    ProblemDetail.of(403, "Forbidden", refusal, refusal.startsWith("Origin") ? "Origin" : HEADER)
        .send(context);
  }

  private String refusal(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    // "null" (a sandboxed frame, a file) is no origin of ours either.
    if (origin != null && !isOwn(normal(origin), request)) {
      return "Origin " + origin + " may not change anything here";
    }
    if (origin == null && request.getCookie(SessionCookieMechanism.COOKIE) != null) {
      return "Origin is required with the session cookie";
    }
    if (request.getHeader(HEADER) == null && isFormType(request.getHeader("Content-Type"))) {
      return HEADER + " or a JSON content type is required to change anything";
    }
    return null;
  }

  private boolean isOwn(String origin, HttpServerRequest request) {
    String own = normal(request.scheme() + "://" + request.authority());
    return origin.equals(own) || allowedOrigins.contains(origin);
  }

  private static boolean isFormType(String contentType) {
    if (contentType == null || contentType.isBlank()) return true;
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return FORM_TYPES.contains(type);
  }

  /** scheme://host:port in lower case, the port written out, so that equal origins compare so. */
  private static String normal(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    } catch (RuntimeException e) {
      return "invalid";
    }
  }
}
