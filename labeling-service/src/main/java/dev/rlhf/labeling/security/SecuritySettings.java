package dev.rlhf.labeling.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Sign-in sessions, login throttling and cross-site rules; defaults in one place. */
@ConfigMapping(prefix = "rlhf.security")
public interface SecuritySettings {

  /**
   * Origins besides the service's own (scheme, host and port it is reached at) that may send state
   * changes, e.g. {@code https://labeling.example.com} when a proxy does not forward the host.
   */
  Optional<List<String>> allowedOrigins();

  Sessions sessions();

  Login login();

  /** How long a browser sign-in lasts. */
  interface Sessions {

    /** Without a request for this long, the session ends. */
    @WithDefault("PT8H")
    Duration idleTimeout();

    /** However active, a session ends this long after sign-in. */
    @WithDefault("PT12H")
    Duration absoluteLifetime();
  }

  /**
   * Password guesses: after this many failures in a row for one account, or from one client
   * address, each further attempt waits 1 s, then 2 s, 4 s... up to {@code maxDelay}.
   */
  interface Login {

    @WithDefault("5")
    int accountFailures();

    @WithDefault("20")
    int addressFailures();

    @WithDefault("PT15M")
    Duration maxDelay();
  }
}
