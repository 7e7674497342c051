package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads events of some topics in a consumer group and hands each to a handler, on its own thread.
 *
 * <p>A record that is not a valid event goes to the topic's dead-letter twin with the reason and
 * the consumer moves on. When the handler fails (say the database is down) the record is retried
 * after a pause, never skipped: handlers must therefore be idempotent by event id, which also makes
 * a redelivery after a crash harmless. Offsets are committed only after handling.
 */
public final class EventConsumerLoop implements AutoCloseable {

  public static final String REASON_HEADER = "dead-letter-reason";
  public static final String SOURCE_HEADER = "dead-letter-source";

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final KafkaConsumer<String, byte[]> consumer;
  private final EventPublisher deadLetters;
  private final List<Topic> topics;
  private final Consumer<PlatformEvent> handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler) {
    this.topics = List.copyOf(topics);
    this.handler = handler;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters = new EventPublisher(bootstrapServers, groupId + "-dead-letters");
    thread = new Thread(this::run, "events-" + groupId);
    thread.setDaemon(true);
  }

  public EventConsumerLoop start() {
    thread.start();
    return this;
  }

  private void run() {
    consumer.subscribe(topics.stream().map(Topic::topicName).toList());
    try {
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (!handle(record)) {
            // Rewind to the failed record; everything before it is done and committed below.
            consumer.seek(partition, record.offset());
            sleep(RETRY_PAUSE);
            break;
          }
          done.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        if (!done.isEmpty()) consumer.commitSync(done);
      }
    } catch (WakeupException e) {
      if (running.get()) throw e;
    } finally {
      consumer.close();
      deadLetters.close();
    }
  }

  /** Returns false when the record must be retried. */
  private boolean handle(ConsumerRecord<String, byte[]> record) {
    PlatformEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (MalformedEventException e) {
      deadLetter(record, e.getMessage());
      return true;
    }
    try {
      handler.accept(event);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("handling {} failed, will retry: {}", event.eventId(), e.toString());
      return false;
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    String dlq = record.topic() + ".dlq";
    LOG.warn("dead-lettering {}@{} to {}: {}", record.topic(), record.offset(), dlq, reason);
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(dlq, record.key(), record.value());
    out.headers().add(REASON_HEADER, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(
            SOURCE_HEADER,
            (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
    try {
      deadLetters.producer().send(out).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not dead-letter " + record.offset(), e);
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
