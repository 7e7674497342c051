package dev.rlhf.labeling.arena;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Reads the runtime's completions in a consumer group of its own and hands the arena's to {@link
 * ArenaService#accept}; the ranking path reads the same topic independently.
 */
@ApplicationScoped
public class ArenaConsumer {

  private final KafkaSettings kafka;
  private final ArenaService arena;
  private EventConsumerLoop loop;

  ArenaConsumer(KafkaSettings kafka, ArenaService arena) {
    this.kafka = kafka;
    this.arena = arena;
  }

  void start(@Observes StartupEvent event) {
    loop =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-arena",
                List.of(Topic.COMPLETIONS),
                e -> {
                  if (e instanceof CompletionsGenerated generated
                      && ArenaService.PURPOSE.equals(generated.purpose())) {
                    arena.accept(generated);
                  }
                })
            .start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
  }
}
