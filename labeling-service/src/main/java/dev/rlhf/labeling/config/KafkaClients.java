package dev.rlhf.labeling.config;

import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.labeling.outbox.OutboxSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The one producer this service publishes with: the outbox relay's. */
public class KafkaClients {

  @Produces
  @ApplicationScoped
  EventPublisher eventPublisher(KafkaSettings settings, OutboxSettings outbox) {
    return new EventPublisher(
        settings.bootstrapServers(), "labeling-service", outbox.deliveryTimeout());
  }

  void close(@Disposes EventPublisher publisher) {
    publisher.close();
  }
}
