package dev.rlhf.runtime.health;

import dev.rlhf.runtime.kafka.VersionEvents;
import dev.rlhf.runtime.registry.VersionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the versions topic is replayed and a network is loaded to serve the default: before
 * that every request would be 503, or be served by the base instead of the promoted version.
 */
@Readiness
@ApplicationScoped
public class ModelLoadedCheck implements HealthCheck {

  private final VersionRegistry registry;
  private final VersionEvents versions;

  ModelLoadedCheck(VersionRegistry registry, VersionEvents versions) {
    this.registry = registry;
    this.versions = versions;
  }

  @Override
  public HealthCheckResponse call() {
    String version = registry.defaultVersion();
    return HealthCheckResponse.named("policy version served")
        .status(version != null && versions.isCaughtUp())
        .withData("versions replayed", versions.isCaughtUp())
        .withData("default", version == null ? "none yet" : version)
        .build();
  }
}
