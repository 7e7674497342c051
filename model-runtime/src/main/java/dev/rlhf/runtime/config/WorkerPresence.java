package dev.rlhf.runtime.config;

import ai.djl.engine.Engine;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.events.kafka.WorkerHeartbeat;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Finds the compute device once, logs it, and announces this worker on Kafka. */
@ApplicationScoped
public class WorkerPresence {

  private final KafkaSettings kafka;
  private EventPublisher publisher;
  private WorkerHeartbeat heartbeat;

  WorkerPresence(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  void start(@Observes StartupEvent event) {
    String device = Engine.getInstance().getGpuCount() > 0 ? "gpu:0" : "cpu";
    Log.infof(
        "model-runtime computes on %s (DJL %s)", device, Engine.getInstance().getEngineName());
    publisher = new EventPublisher(kafka.bootstrapServers(), "model-runtime-presence");
    heartbeat = new WorkerHeartbeat(publisher, "model-runtime", device).start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (heartbeat != null) heartbeat.close();
    if (publisher != null) publisher.close();
  }
}
