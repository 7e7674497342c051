package dev.rlhf.runtime.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.events.kafka.KafkaClientSecurity;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Dead-letters well-formed requests that can never be answered (an unknown version, a prompt longer
 * than the context). The consumer loop dead-letters what it cannot decode; a request that decodes
 * but fails for good would otherwise be retried forever and block the requests behind it.
 */
final class DeadLetters implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;

  DeadLetters(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "model-runtime-dead-letters");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    KafkaClientSecurity.apply(p);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  void send(PlatformEvent event, String reason) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            event.topic().deadLetterTopicName(), event.key(), EventCodec.encode(event));
    record.headers().add(EventConsumerLoop.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering " + event.eventId(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not dead-letter " + event.eventId(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
