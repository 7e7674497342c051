package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.PlatformEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events durably: idempotent producer, {@code acks=all}, keyed so that the events of one
 * aggregate stay in order.
 */
public final class EventPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  public static final String EVENT_ID_HEADER = "event-id";
  public static final String EVENT_TYPE_HEADER = "event-type";

  private final KafkaProducer<String, byte[]> producer;

  public EventPublisher(String bootstrapServers, String clientId) {
    this(bootstrapServers, clientId, Duration.ofSeconds(30));
  }

  /**
   * @param deliveryTimeout how long the producer itself retries a record (with the sequence numbers
   *     that let the broker drop repeats) before its send fails
   */
  public EventPublisher(String bootstrapServers, String clientId, Duration deliveryTimeout) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    int delivery = (int) deliveryTimeout.toMillis();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    // The producer requires delivery >= linger + request timeout.
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery / 2));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000, delivery));
    KafkaClientSecurity.apply(p);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends an event; the future completes once the broker has it on all in-sync replicas. */
  public Future<RecordMetadata> publish(PlatformEvent event) {
    return publishJson(
        event.topic().topicName(),
        event.key(),
        event.eventId().toString(),
        event.getClass().getSimpleName(),
        EventCodec.encode(event));
  }

  /** Sends an already-encoded event (the outbox relay stores events as JSON). */
  public Future<RecordMetadata> publishJson(
      String topic, String key, String eventId, String eventType, byte[] json) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, json);
    record.headers().add(EVENT_ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8));
    record.headers().add(EVENT_TYPE_HEADER, eventType.getBytes(StandardCharsets.UTF_8));
    return producer.send(record);
  }

  /** Sends and waits for the broker's acknowledgement. */
  public RecordMetadata publishAndWait(PlatformEvent event) {
    try {
      return publish(event).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + event.eventId(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not publish " + event.eventId(), e);
    }
  }

  /**
   * Sends an event until the broker acknowledges it, pausing between tries (1 s, doubling up to 30
   * s), or until {@code giveUp} says to stop. For facts that must not be lost once decided, like a
   * trained version: every try sends the same event (same id), which consumers take once.
   *
   * @throws IllegalStateException when {@code giveUp} stopped it before an acknowledgement
   */
  public RecordMetadata publishUntilAcknowledged(PlatformEvent event, BooleanSupplier giveUp) {
    long pause = 1_000;
    for (int attempt = 1; ; attempt++) {
      try {
        return publishAndWait(event);
      } catch (RuntimeException e) {
        if (giveUp.getAsBoolean() || Thread.currentThread().isInterrupted()) throw e;
        LOG.warn(
            "{} {} not acknowledged (try {}), trying again in {} s: {}",
            event.getClass().getSimpleName(),
            event.eventId(),
            attempt,
            pause / 1000,
            rootCause(e));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing " + event.eventId(), e);
      }
      pause = Math.min(pause * 2, 30_000);
    }
  }

  private static String rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.toString();
  }

  KafkaProducer<String, byte[]> producer() {
    return producer;
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
