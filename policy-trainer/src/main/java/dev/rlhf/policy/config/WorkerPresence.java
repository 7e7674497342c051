package dev.rlhf.policy.config;

import dev.rlhf.events.kafka.WorkerHeartbeat;
import dev.rlhf.lm.Devices;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Finds the compute device once (and logs it), then announces this worker on Kafka. */
@ApplicationScoped
public class WorkerPresence {

  private final KafkaSettings kafka;
  private WorkerHeartbeat heartbeat;

  WorkerPresence(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  void start(@Observes StartupEvent event) {
    String device = Devices.label(Devices.preferred());
    heartbeat = WorkerHeartbeat.announce(kafka.bootstrapServers(), "policy-trainer", device);
  }

  void stop(@Observes ShutdownEvent event) {
    if (heartbeat != null) heartbeat.close();
  }
}
