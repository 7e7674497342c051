package dev.rlhf.labeling.config;

import dev.rlhf.events.kafka.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The one producer this service publishes with (through the outbox relay). */
public class KafkaClients {

  @Produces
  @ApplicationScoped
  EventPublisher eventPublisher(KafkaSettings settings) {
    return new EventPublisher(settings.bootstrapServers(), "labeling-service");
  }

  void close(@Disposes EventPublisher publisher) {
    publisher.close();
  }
}
