package dev.rlhf.events.kafka;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.MalformedEventException;
import dev.rlhf.events.contract.PlatformEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll handed to a {@link EventConsumerLoop.BatchHandler}: which events it handled, which must
 * go to the dead-letter topic and why, or that the whole poll must be retried.
 */
final class BatchPoll {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);

  /** Tries of one event on its own, once its batch failed, before it counts as poison. */
  private static final int TRIES_ALONE = 3;

  record Refused(ConsumerRecord<String, byte[]> record, String reason) {}

  /**
   * @param retry the failure that makes the whole poll wait and come again; null otherwise
   * @param handled how many events the handler took
   * @param refused what goes to the dead-letter topic, once the rest is handled
   */
  record Outcome(Throwable retry, int handled, List<Refused> refused) {}

  private record Received(ConsumerRecord<String, byte[]> record, PlatformEvent event) {}

  private BatchPoll() {}

  static Outcome handle(
      EventConsumerLoop.BatchHandler handler,
      ConsumerRecords<String, byte[]> records,
      String group) {
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
      Optional<String> refusal = refusal(handler, event);
      if (refusal.isPresent()) refused.add(new Refused(record, refusal.get()));
      else valid.add(new Received(record, event));
    }
    if (valid.isEmpty()) return new Outcome(null, 0, refused);
    RuntimeException failure = tryHandle(handler, valid.stream().map(Received::event).toList());
    if (failure == null) return new Outcome(null, valid.size(), refused);
    if (Outages.isOutage(failure)) return new Outcome(failure, 0, List.of());
    LOG.warn(
        "consumer {}: a batch of {} failed, trying each alone: {}",
        group,
        valid.size(),
        failure.toString());
    List<Refused> poison = alone(handler, valid);
    if (poison == null) return new Outcome(failure, 0, List.of());
    refused.addAll(poison);
    return new Outcome(null, valid.size() - poison.size(), refused);
  }

  /** A check that throws could never pass on a retry either: it refuses the event. */
  private static Optional<String> refusal(
      EventConsumerLoop.BatchHandler handler, PlatformEvent event) {
    try {
      return handler.refusal(event);
    } catch (RuntimeException e) {
      return Optional.of("the check failed: " + e);
    }
  }

  /**
   * Tries each event on its own. Returns the poison ones with the reason, or null when none could
   * be handled or one failed for an outage: then it is the handler that fails, not the events.
   */
  private static List<Refused> alone(
      EventConsumerLoop.BatchHandler handler, List<Received> events) {
    List<Refused> poison = new ArrayList<>();
    for (Received received : events) {
      RuntimeException failure = null;
      for (int attempt = 0; attempt < TRIES_ALONE; attempt++) {
        failure = tryHandle(handler, List.of(received.event()));
        if (failure == null) break;
        if (Outages.isOutage(failure)) return null;
      }
      if (failure != null) {
        poison.add(new Refused(received.record(), "the handler failed: " + failure));
      }
    }
    return poison.size() == events.size() ? null : poison;
  }

  private static RuntimeException tryHandle(
      EventConsumerLoop.BatchHandler handler, List<PlatformEvent> events) {
    try {
      handler.handle(events);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
