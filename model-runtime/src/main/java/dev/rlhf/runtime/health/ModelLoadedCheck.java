package dev.rlhf.runtime.health;

import dev.rlhf.runtime.kafka.VersionEvents;
import dev.rlhf.runtime.registry.VersionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the versions topic is replayed: from then on a request is served by the right version,
 * or answered 503 with Retry-After while the first network is still being prepared. Loading does
 * not hold readiness back, because on a first start the demo base model is pretrained for minutes
 * and the rest of the platform should not wait for it; the data says whether a default is served
 * yet.
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
        .status(versions.isCaughtUp())
        .withData("versions replayed", versions.isCaughtUp())
        .withData("default", version == null ? "none yet (preparing)" : version)
        .build();
  }
}
