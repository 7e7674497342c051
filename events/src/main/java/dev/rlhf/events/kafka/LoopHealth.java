package dev.rlhf.events.kafka;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a consumer loop's thread records about itself for health checks and metrics: polls, lag,
 * handled and dead-lettered records, and the current run of failures. Written by that thread only.
 */
final class LoopHealth {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerLoop.class);

  private final String group;
  private final List<String> topics;
  private volatile long lag = -1;
  private volatile Instant lastPollAt;
  private volatile int failures;
  private volatile Instant failingSince;
  private volatile String lastFailure;
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  LoopHealth(String group, List<String> topics) {
    this.group = group;
    this.topics = List.copyOf(topics);
  }

  /**
   * @param lag the records behind after this poll, or -1 when the broker did not say
   */
  void polled(long lag) {
    lastPollAt = Instant.now();
    if (lag >= 0) this.lag = lag;
  }

  void handled(long records) {
    handled.addAndGet(records);
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  /** Failures in a row so far. */
  int failures() {
    return failures;
  }

  String lastFailure() {
    return lastFailure;
  }

  /** Records a failure; logs the first of a run and then each doubling, not every attempt. */
  void failed(Throwable failure) {
    int count = failures + 1;
    if (count == 1) failingSince = Instant.now();
    failures = count;
    lastFailure = failure.toString();
    if (count == 1 && !Outages.isOutage(failure)) {
      LOG.warn("consumer {} failed, will retry", group, failure);
    } else if (Integer.bitCount(count) == 1) {
      LOG.warn(
          "consumer {}: {} failures in a row since {}, will retry: {}",
          group,
          count,
          failingSince,
          lastFailure);
    }
  }

  void succeeded() {
    if (failures == 0) return;
    LOG.info(
        "consumer {} handles records again, after {} failures since {}",
        group,
        failures,
        failingSince);
    failures = 0;
    failingSince = null;
  }

  ConsumerStatus status(boolean alive) {
    return new ConsumerStatus(
        group,
        topics,
        alive,
        lag,
        lastPollAt,
        failures,
        failingSince,
        lastFailure,
        handled.get(),
        deadLettered.get());
  }
}
