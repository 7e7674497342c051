package dev.rlhf.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a record a consumer gives up on to its topic's dead-letter twin ({@code <topic>.dlq}),
 * unchanged, with the reason and where it came from in headers.
 */
final class DeadLetterSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSender.class);

  private final EventPublisher publisher;

  DeadLetterSender(String bootstrapServers, String clientId) {
    publisher = new EventPublisher(bootstrapServers, clientId);
  }

  /** Returns null once the broker has the letter, or the failure: the record must be retried. */
  Throwable send(ConsumerRecord<String, byte[]> record, String reason) {
    String dlq = record.topic() + ".dlq";
    LOG.warn("dead-lettering {} to {}: {}", coordinates(record), dlq, reason);
    ProducerRecord<String, byte[]> out = new ProducerRecord<>(dlq, record.key(), record.value());
    out.headers()
        .add(
            EventConsumerLoop.REASON_HEADER,
            String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
    out.headers()
        .add(EventConsumerLoop.SOURCE_HEADER, coordinates(record).getBytes(StandardCharsets.UTF_8));
    try {
      publisher.producer().send(out).get(30, TimeUnit.SECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      return new TimeoutException("the dead letter was not acknowledged in 30 s", e);
    }
  }

  /** "topic/partition@offset": how a record is named in logs and in the source header. */
  static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
