package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.PlatformEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
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
 * Reads events of some topics in a consumer group and hands them to a handler, on its own thread:
 * one at a time, or (see {@link #batched}) all events of a poll at once.
 *
 * <p>A record that is not a valid event goes to the topic's dead-letter twin with the reason and
 * the consumer moves on. When the handler fails (say the database is down) the record is retried
 * after a pause, never skipped: handlers must therefore be idempotent by event id, which also makes
 * a redelivery after a crash harmless. Offsets are committed only after handling.
 */
public final class EventConsumerLoop implements AutoCloseable {

  public static final String REASON_HEADER = "dead-letter-reason";
  public static final String SOURCE_HEADER = "dead-letter-source";

  /** Handles the events of one poll together, all or nothing (say, in one database transaction). */
  @FunctionalInterface
  public interface BatchHandler {

    /**
     * Why an event can never be handled, or empty. Checked for every event before {@link #handle};
     * a refused event goes to the dead-letter topic with the reason instead.
     */
    default Optional<String> refusal(PlatformEvent event) {
      return Optional.empty();
    }

    /** Handles events in their order; throwing means that none of them was handled. */
    void handle(List<PlatformEvent> events);
  }

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  /** Tries of one event on its own, once its batch failed, before it counts as poison. */
  private static final int TRIES_ALONE = 3;

  private final KafkaConsumer<String, byte[]> consumer;
  private final EventPublisher deadLetters;
  private final List<Topic> topics;
  private final Consumer<PlatformEvent> handler;
  private final BatchHandler batchHandler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /** Handles one event at a time, in order; a failing event holds back the ones after it. */
  public EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler) {
    this(bootstrapServers, groupId, topics, handler, null);
  }

  /**
   * Hands all valid events of each poll to one call of the handler. When that call fails, each
   * event is tried on its own: if some succeed, the ones that still fail are poison (they can never
   * be handled) and go to the dead-letter topic with the failure as the reason, so they never hold
   * back the rest; if all fail, the handler itself is down and the whole poll is retried after a
   * pause. Events may therefore be handled out of order when a batch fails.
   */
  public static EventConsumerLoop batched(
      String bootstrapServers, String groupId, Collection<Topic> topics, BatchHandler handler) {
    return new EventConsumerLoop(bootstrapServers, groupId, topics, null, handler);
  }

  private EventConsumerLoop(
      String bootstrapServers,
      String groupId,
      Collection<Topic> topics,
      Consumer<PlatformEvent> handler,
      BatchHandler batchHandler) {
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.batchHandler = batchHandler;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaClientSecurity.apply(p);
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
        if (records.isEmpty()) continue;
        if (batchHandler == null) handleEach(records);
        else handleTogether(records);
      }
    } catch (WakeupException e) {
      if (running.get()) throw e;
    } finally {
      consumer.close();
      deadLetters.close();
    }
  }

  private void handleEach(ConsumerRecords<String, byte[]> records) {
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

  /** Returns false when the record must be retried. */
  private boolean handle(ConsumerRecord<String, byte[]> record) {
    PlatformEvent event;
    try {
      event = EventCodec.decode(record.value());
    } catch (MalformedEventException e) {
      return deadLetter(record, e.getMessage());
    }
    try {
      handler.accept(event);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("handling {} failed, will retry: {}", event.eventId(), e.toString());
      return false;
    }
  }

  private record Received(ConsumerRecord<String, byte[]> record, PlatformEvent event) {}

  private record Refused(ConsumerRecord<String, byte[]> record, String reason) {}

  private void handleTogether(ConsumerRecords<String, byte[]> records) {
    List<Received> valid = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      PlatformEvent event;
      try {
        event = EventCodec.decode(record.value());
      } catch (MalformedEventException e) {
        refused.add(new Refused(record, e.getMessage()));
        continue;
      }
      Optional<String> refusal = refusal(event);
      if (refusal.isPresent()) refused.add(new Refused(record, refusal.get()));
      else valid.add(new Received(record, event));
    }
    if (!valid.isEmpty() && !tryBatch(valid.stream().map(Received::event).toList())) {
      List<Refused> poison = handleAlone(valid);
      if (poison == null) {
        rewind(records);
        sleep(RETRY_PAUSE);
        return;
      }
      refused.addAll(poison);
    }
    // Dead letters only once the rest is handled, so a poll retried for the handler sends none
    // twice; one retried because the dead-letter topic is unreachable finds its events handled.
    for (Refused r : refused) {
      if (!deadLetter(r.record(), r.reason())) {
        rewind(records);
        sleep(RETRY_PAUSE);
        return;
      }
    }
    consumer.commitSync(nextOffsets(records));
  }

  /** A check that throws could never pass on a retry either: it refuses the event. */
  private Optional<String> refusal(PlatformEvent event) {
    try {
      return batchHandler.refusal(event);
    } catch (RuntimeException e) {
      return Optional.of("the check failed: " + e);
    }
  }

  /**
   * Tries each event on its own. Returns the poison ones with the reason, or null when none could
   * be handled: then it is the handler that fails, not the events.
   */
  private List<Refused> handleAlone(List<Received> events) {
    List<Refused> poison = new ArrayList<>();
    for (Received received : events) {
      RuntimeException failure = null;
      for (int attempt = 0; attempt < TRIES_ALONE; attempt++) {
        failure = tryHandle(List.of(received.event()));
        if (failure == null) break;
      }
      if (failure != null) {
        poison.add(new Refused(received.record(), "the handler failed: " + failure));
      }
    }
    if (poison.size() == events.size()) {
      LOG.warn("handling {} events failed, each on its own too; will retry", events.size());
      return null;
    }
    return poison;
  }

  private boolean tryBatch(List<PlatformEvent> events) {
    RuntimeException failure = tryHandle(events);
    if (failure == null) return true;
    LOG.warn(
        "handling a batch of {} failed, trying each alone: {}", events.size(), failure.toString());
    return false;
  }

  private RuntimeException tryHandle(List<PlatformEvent> events) {
    try {
      batchHandler.handle(events);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private void rewind(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> in = records.records(partition);
      next.put(partition, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
    }
    return next;
  }

  /** Returns false when the letter could not be sent; the record must then be retried. */
  private boolean deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
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
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      LOG.warn("could not dead-letter {}@{}, will retry: {}", dlq, record.offset(), e.toString());
      return false;
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
