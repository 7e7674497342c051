package dev.rlhf.runtime.security;

import io.smallrye.config.ConfigMapping;

/** Who may call the runtime's API. */
@ConfigMapping(prefix = "rlhf.auth")
public interface AuthSettings {

  /** Shortest service key accepted: 32 characters (e.g. {@code openssl rand -base64 32}). */
  int MIN_SERVICE_KEY_LENGTH = 32;

  /**
   * The key the platform's own services send as their bearer token ({@code RUNTIME_SERVICE_KEY});
   * required, so the runtime never serves anyone without one. Clients get keys an admin issues.
   */
  String serviceKey();
}
