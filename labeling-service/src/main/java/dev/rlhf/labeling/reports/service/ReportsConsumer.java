package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads reports from the Kafka topic into {@link ReportIntake}. The loop dead-letters records that
 * are no valid event; this class dead-letters valid events that break a report rule (a limit, a
 * missing field), with the same reason header, because retrying those could never succeed.
 */
@ApplicationScoped
public class ReportsConsumer {

  private final KafkaSettings kafka;
  private final ReportIntake intake;
  private final ReportValidator validator;
  private EventConsumerLoop loop;
  private KafkaProducer<String, byte[]> deadLetters;

  ReportsConsumer(KafkaSettings kafka, ReportIntake intake, ReportValidator validator) {
    this.kafka = kafka;
    this.intake = intake;
    this.validator = validator;
  }

  void start(@Observes StartupEvent event) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "labeling-service-report-dead-letters");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    deadLetters = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    loop =
        new EventConsumerLoop(
                kafka.bootstrapServers(),
                kafka.groupId() + "-reports",
                List.of(Topic.MISBEHAVIOR_REPORTS),
                this::handle)
            .start();
  }

  void handle(PlatformEvent event) {
    if (!(event instanceof MisbehaviorReported report)) {
      deadLetter(event, "expected a MisbehaviorReported, got " + event.getClass().getSimpleName());
      return;
    }
    try {
      validator.check(ReportInput.of(report));
    } catch (ReportRejected e) {
      deadLetter(event, e.field() + ": " + e.getMessage());
      return;
    }
    intake.ingest(report);
  }

  private void deadLetter(PlatformEvent event, String reason) {
    Log.warnf("dead-lettering report event %s: %s", event.eventId(), reason);
    ProducerRecord<String, byte[]> out =
        new ProducerRecord<>(
            Topic.MISBEHAVIOR_REPORTS.deadLetterTopicName(), event.key(), EventCodec.encode(event));
    out.headers().add(EventConsumerLoop.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    try {
      // Waiting for the broker keeps the offset from being committed before the letter is safe.
      deadLetters.send(out).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not dead-letter " + event.eventId(), e);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
    if (deadLetters != null) deadLetters.close();
  }
}
