package dev.rlhf.runtime.security;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RuntimeKeyIssued;
import dev.rlhf.events.contract.RuntimeKeyRevoked;
import dev.rlhf.runtime.config.KafkaSettings;
import dev.rlhf.runtime.kafka.TopicReplay;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows {@code rlhf.runtime.keys}, which labeling-service writes when an admin issues or revokes
 * a key: read from the beginning on every start, without a consumer group, so the runtime keeps no
 * copy of its own. Until the replay reaches an issued key, that key is refused (the service key
 * always works).
 */
@ApplicationScoped
public class RuntimeKeyEvents {

  private final IssuedKeys keys;
  private final KafkaSettings kafka;
  private volatile boolean running = true;
  private KafkaConsumer<String, byte[]> consumer;

  RuntimeKeyEvents(IssuedKeys keys, KafkaSettings kafka) {
    this.keys = keys;
    this.kafka = kafka;
  }

  void start(@Observes StartupEvent event) {
    consumer = TopicReplay.consumer(kafka);
    Thread thread = new Thread(this::run, "runtime-keys");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (consumer != null) consumer.wakeup();
  }

  private void run() {
    String topic = Topic.RUNTIME_KEYS.topicName();
    try (KafkaConsumer<String, byte[]> owned = consumer) {
      TopicReplay.fromBeginning(consumer, topic, () -> running, "only the service key is accepted");
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } catch (RuntimeException e) {
      Log.errorf(e, "following %s stopped; issued keys are no longer updated", topic);
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    PlatformEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (MalformedEventException e) {
      Log.warnf("skipping unreadable record %d of %s: %s", record.offset(), record.topic(), e);
      return;
    }
    if (event instanceof RuntimeKeyIssued issued) keys.issued(issued);
    else if (event instanceof RuntimeKeyRevoked revoked) keys.revoked(revoked);
  }
}
