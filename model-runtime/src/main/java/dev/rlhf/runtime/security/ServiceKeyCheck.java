package dev.rlhf.runtime.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start with a service key anyone could guess. */
@ApplicationScoped
public class ServiceKeyCheck {

  private final AuthSettings settings;

  ServiceKeyCheck(AuthSettings settings) {
    this.settings = settings;
  }

  void check(@Observes StartupEvent event) {
    if (settings.serviceKey().strip().length() < AuthSettings.MIN_SERVICE_KEY_LENGTH) {
      throw new IllegalStateException(
          "RUNTIME_SERVICE_KEY must be at least "
              + AuthSettings.MIN_SERVICE_KEY_LENGTH
              + " characters; make one with: openssl rand -base64 32");
    }
  }
}
