package dev.rlhf.labeling.cycles;

import dev.rlhf.events.Topic;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Feeds the trainers' progress, failures and versions into {@link TrainingEventHandler}. */
@ApplicationScoped
public class TrainingEventsConsumer {

  private final KafkaSettings kafka;
  private final TrainingEventHandler handler;
  private EventConsumerLoop loop;

  TrainingEventsConsumer(KafkaSettings kafka, TrainingEventHandler handler) {
    this.kafka = kafka;
    this.handler = handler;
  }

  void start(@Observes StartupEvent event) {
    loop =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-training-cycles",
                List.of(Topic.TRAINING_PROGRESS, Topic.MODEL_VERSIONS),
                handler::handle)
            .start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
  }
}
