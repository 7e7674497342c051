package dev.rlhf.runtime.health;

import dev.rlhf.runtime.kafka.VersionEvents;
import dev.rlhf.runtime.registry.BasePreparation;
import dev.rlhf.runtime.registry.VersionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the versions topic is replayed: from then on a request is served by the right version,
 * or answered 503 with Retry-After while the base network is still being prepared. Preparing does
 * not hold readiness back, because on a first start the demo base is pretrained for minutes and the
 * rest of the platform should not wait for it; the data says how far it is. A base that could not
 * be prepared, while nothing else is served, turns readiness DOWN with the reason.
 */
@Readiness
@ApplicationScoped
public class ModelLoadedCheck implements HealthCheck {

  private final VersionRegistry registry;
  private final BasePreparation base;
  private final VersionEvents versions;

  ModelLoadedCheck(VersionRegistry registry, BasePreparation base, VersionEvents versions) {
    this.registry = registry;
    this.base = base;
    this.versions = versions;
  }

  @Override
  public HealthCheckResponse call() {
    String version = registry.defaultVersion();
    BasePreparation.Status status = base.status();
    boolean failed = status.state() == BasePreparation.State.FAILED && version == null;
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("policy version served").status(versions.isCaughtUp() && !failed);
    if (failed) {
      // The run command stops waiting when it reads this: waiting will not mend it.
      response.withData("failure", status.describe());
    }
    return response
        .withData("versions replayed", versions.isCaughtUp())
        .withData("default", version == null ? "none yet" : version)
        .withData("baseVersion", status.version())
        .withData("baseState", status.state().name())
        .withData("baseStep", status.step())
        .withData("baseSteps", status.steps())
        .withData("baseDetail", status.describe())
        .build();
  }
}
