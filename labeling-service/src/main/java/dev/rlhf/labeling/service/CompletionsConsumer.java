package dev.rlhf.labeling.service;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/** Feeds the completions the runtime sampled into {@link CompletionRequestService#accept}. */
@ApplicationScoped
public class CompletionsConsumer {

  private final KafkaSettings kafka;
  private final CompletionRequestService requests;
  private EventConsumerLoop loop;

  CompletionsConsumer(KafkaSettings kafka, CompletionRequestService requests) {
    this.kafka = kafka;
    this.requests = requests;
  }

  void start(@Observes StartupEvent event) {
    loop =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-completions",
                List.of(Topic.COMPLETIONS),
                e -> {
                  if (e instanceof CompletionsGenerated generated) requests.accept(generated);
                })
            .start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
  }
}
