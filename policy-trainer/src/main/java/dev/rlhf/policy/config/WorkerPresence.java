package dev.rlhf.policy.config;

import dev.rlhf.events.kafka.WorkerHeartbeat;
import dev.rlhf.lm.Devices;
import dev.rlhf.policy.kafka.PolicyTrainerWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Finds the compute device once (and logs it), then announces this worker on Kafka with the runs it
 * holds.
 */
@ApplicationScoped
public class WorkerPresence {

  private final KafkaSettings kafka;
  private final PolicyTrainerWorker worker;
  private WorkerHeartbeat heartbeat;

  WorkerPresence(KafkaSettings kafka, PolicyTrainerWorker worker) {
    this.kafka = kafka;
    this.worker = worker;
  }

  void start(@Observes StartupEvent event) {
    String device = Devices.label(Devices.preferred());
    heartbeat =
        WorkerHeartbeat.announce(
            kafka.bootstrapServers(), "policy-trainer", device, worker::heldRuns);
  }

  void stop(@Observes ShutdownEvent event) {
    if (heartbeat != null) heartbeat.close();
  }
}
