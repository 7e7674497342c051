package dev.rlhf.labeling.reports.service;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.MisbehaviorReported;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.kafka.EventConsumerLoop;
import dev.rlhf.labeling.config.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * Reads reports from the Kafka topic into {@link ReportIntake}, all reports of a poll in one
 * transaction. Events that break a report rule (a limit, a missing field) are refused, so the loop
 * dead-letters them with the reason as it does records that are no valid event: retrying those
 * could never succeed.
 */
@ApplicationScoped
public class ReportsConsumer implements EventConsumerLoop.BatchHandler {

  private final KafkaSettings kafka;
  private final ReportIntake intake;
  private final ReportValidator validator;
  private EventConsumerLoop loop;

  ReportsConsumer(KafkaSettings kafka, ReportIntake intake, ReportValidator validator) {
    this.kafka = kafka;
    this.intake = intake;
    this.validator = validator;
  }

  void start(@Observes StartupEvent event) {
    loop =
        EventConsumerLoop.batched(
                kafka.bootstrapServers(),
                kafka.groupId() + "-reports",
                List.of(Topic.MISBEHAVIOR_REPORTS),
                this)
            .start();
  }

  @Override
  public Optional<String> refusal(PlatformEvent event) {
    if (!(event instanceof MisbehaviorReported report)) {
      return Optional.of("expected a MisbehaviorReported, got " + event.getClass().getSimpleName());
    }
    try {
      validator.check(ReportInput.of(report));
      return Optional.empty();
    } catch (ReportRejected e) {
      return Optional.of(e.field() + ": " + e.getMessage());
    }
  }

  @Override
  public void handle(List<PlatformEvent> events) {
    intake.ingestChecked(events.stream().map(MisbehaviorReported.class::cast).toList());
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) loop.close();
  }
}
