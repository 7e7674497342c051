package dev.rlhf.events.health;

import dev.rlhf.events.kafka.ConsumerLoops;
import dev.rlhf.events.kafka.ConsumerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * The service is alive only while every one of its event consumers runs: a consumer whose thread
 * ended would leave its events unread while everything else looked fine, so the liveness probe
 * fails and the supervisor (the run command, Kubernetes) restarts the service. A consumer that
 * keeps failing is still alive (it retries); its failures and lag are shown for the operator.
 */
@Liveness
@ApplicationScoped
public class ConsumersLivenessCheck implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("event consumers").up();
    for (ConsumerStatus consumer : ConsumerLoops.statuses()) {
      if (!consumer.alive()) response.down();
      response.withData(consumer.group(), describe(consumer));
    }
    return response.build();
  }

  static String describe(ConsumerStatus consumer) {
    StringBuilder text = new StringBuilder(consumer.alive() ? "running" : "STOPPED");
    text.append(", lag ").append(consumer.lag() < 0 ? "unknown" : consumer.lag());
    if (consumer.failures() > 0) {
      text.append(", ")
          .append(consumer.failures())
          .append(" failures since ")
          .append(consumer.failingSince())
          .append(": ")
          .append(consumer.lastFailure());
    }
    if (consumer.deadLettered() > 0) {
      text.append(", ").append(consumer.deadLettered()).append(" dead-lettered");
    }
    return text.toString();
  }
}
