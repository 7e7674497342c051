package dev.rlhf.labeling.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * Headers every answer carries, pages, API, exports and errors alike: a content security policy
 * that runs only this site's own script files (no inline script, no eval, no styles from
 * attributes), no framing by anyone (clickjacking), no content-type sniffing, no referrer to other
 * sites, and HSTS when the service is reached over TLS (directly or through a proxy that says so).
 *
 * <p>And how long answers may be cached: API answers not at all (they are private and change);
 * libraries under a versioned path for a year, as they never change; the pages and this site's own
 * scripts and styles are revalidated on every load, so an upgrade shows at once.
 */
@ApplicationScoped
public class SecurityHeaders {

  // First of all filters, so that even a refusal by the CSRF guard or a 401 carries the headers.
  private static final int PRIORITY = 400;

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  // WebJars are served under their version (/webjars/chart.js/4.5.1/...); mvnpm's /_static/ paths
  // have none, so they are revalidated like this site's own files.
  private static final Pattern VERSIONED = Pattern.compile("^/webjars/[^/]+/\\d[^/]*/.*");

  void register(@Observes Filters filters) {
    filters.register(
        context -> {
          context.addHeadersEndHandler(ignored -> apply(context));
          context.next();
        },
        PRIORITY);
  }

  private static void apply(RoutingContext context) {
    MultiMap headers = context.response().headers();
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "same-origin");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    if ("https".equals(context.request().scheme())) {
      headers.set("Strict-Transport-Security", "max-age=31536000");
    }
    headers.set("Cache-Control", cacheControl(context.normalizedPath()));
  }

  private static String cacheControl(String path) {
    if (path.startsWith("/api/") || path.equals("/j_security_check")) return "no-store";
    if (VERSIONED.matcher(path).matches()) return "public, max-age=31536000, immutable";
    return "no-cache";
  }
}
