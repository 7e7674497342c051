package dev.rlhf.runtime.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.PolicyVersionPromoted;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.VersionDirectories;
import dev.rlhf.runtime.config.CheckpointSettings;
import dev.rlhf.runtime.config.KafkaSettings;
import dev.rlhf.runtime.registry.VersionRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Rebuilds the version registry from {@code rlhf.models.versions} on every start, then follows it.
 *
 * <p>The topic is the durable record of what was published and promoted, so the runtime keeps no
 * copy of its own: it reads every partition from the beginning without a consumer group (nothing to
 * commit, nothing shared with other replicas). During the replay promotions are only noted; the
 * last one is loaded when the replay has caught up, so a restart loads one network, not every
 * version ever promoted. Records it cannot read are logged and skipped, not dead-lettered: the
 * replay would otherwise dead-letter them again on every start.
 */
@ApplicationScoped
public class VersionEvents {

  private final VersionRegistry registry;
  private final KafkaSettings kafka;
  private final Path checkpointsDir;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running = true;
  private KafkaConsumer<String, byte[]> consumer;
  private PolicyVersionPromoted pendingDefault;

  VersionEvents(VersionRegistry registry, KafkaSettings kafka, CheckpointSettings checkpoints) {
    this.registry = registry;
    this.kafka = kafka;
    this.checkpointsDir = Path.of(checkpoints.directory());
  }

  void start(@Observes StartupEvent event) {
    consumer = TopicReplay.consumer(kafka);
    Thread thread = new Thread(this::run, "model-versions");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  /** Whether the replay of the versions topic has reached where the topic ended at start. */
  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  /** Waits for the replay; false if it did not finish in time. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    String topic = Topic.MODEL_VERSIONS.topicName();
    try (KafkaConsumer<String, byte[]> owned = consumer) {
      List<TopicPartition> partitions =
          TopicReplay.fromBeginning(
              consumer, topic, () -> running, "readiness stays DOWN until it can");
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          handle(record);
        }
        if (!isCaughtUp()
            && end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          finishReplay();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      Log.errorf(e, "following %s stopped", topic);
    }
  }

  private void finishReplay() {
    if (pendingDefault != null) {
      promote(pendingDefault);
      pendingDefault = null;
    }
    caughtUp.countDown();
    Log.infof("model versions replayed: %s", registry.versions());
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    PlatformEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (MalformedEventException e) {
      Log.warnf("skipping unreadable record %d of %s: %s", record.offset(), record.topic(), e);
      return;
    }
    if (event instanceof ModelVersionPublished published
        && published.kind() == ModelVersionPublished.Kind.POLICY) {
      Path checkpoint = checkpointOf(published.version());
      if (Checkpoints.exists(checkpoint)) {
        registry.announce(published.version(), checkpoint);
      } else {
        Log.warnf("policy version %s has no checkpoint at %s", published.version(), checkpoint);
      }
    } else if (event instanceof PolicyVersionPromoted promoted) {
      if (isCaughtUp()) {
        promote(promoted);
      } else {
        registry.announce(promoted.version(), checkpointOf(promoted.version()));
        pendingDefault = promoted;
      }
    }
  }

  private void promote(PolicyVersionPromoted promoted) {
    try {
      registry.promote(promoted.version(), checkpointOf(promoted.version()));
    } catch (RuntimeException e) {
      Log.errorf(e, "cannot serve promoted version %s", promoted.version());
    }
  }

  /**
   * A version's checkpoint is the directory of its name under this runtime's checkpoints root,
   * where the trainers publish it. The path an event carries is never followed: whoever can write
   * the topic could point it anywhere on this machine.
   */
  private Path checkpointOf(String version) {
    return VersionDirectories.of(checkpointsDir, version);
  }
}
