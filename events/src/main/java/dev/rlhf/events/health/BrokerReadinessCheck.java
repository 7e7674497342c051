package dev.rlhf.events.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka broker answers: without it no event leaves or arrives (labels are
 * still accepted and wait in the outbox). The answer is cached for a moment, so frequent probes do
 * not each wait for a broker that is away.
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CACHED = Duration.ofSeconds(2);

  private final String bootstrapServers;
  private Admin admin;
  private Instant checkedAt = Instant.EPOCH;
  private HealthCheckResponse last;
  private Instant downSince;

  BrokerReadinessCheck(
      @ConfigProperty(name = "rlhf.kafka.bootstrap-servers") String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @Override
  public synchronized HealthCheckResponse call() {
    Instant now = Instant.now();
    if (last == null || now.isAfter(checkedAt.plus(CACHED))) {
      last = probe(now);
      checkedAt = Instant.now();
    }
    return last;
  }

  private HealthCheckResponse probe(Instant now) {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("Kafka broker").withData("bootstrap servers", bootstrapServers);
    try {
      int brokers =
          admin().describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      downSince = null;
      return response.up().withData("brokers", brokers).build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      if (downSince == null) downSince = now;
      String reason =
          e instanceof java.util.concurrent.TimeoutException
              ? "no answer within " + TIMEOUT.toSeconds() + " s"
              : String.valueOf(e.getCause() == null ? e : e.getCause());
      return response
          .down()
          .withData("reason", "unreachable: " + reason)
          .withData("down since", downSince.toString())
          .build();
    }
  }

  private Admin admin() {
    if (admin == null) {
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers,
                  AdminClientConfig.CLIENT_ID_CONFIG,
                  "readiness",
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  (int) TIMEOUT.toMillis(),
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  (int) TIMEOUT.toMillis()));
    }
    return admin;
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) admin.close(Duration.ofSeconds(1));
  }
}
