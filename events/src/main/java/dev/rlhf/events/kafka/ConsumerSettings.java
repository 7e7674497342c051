package dev.rlhf.events.kafka;

import java.time.Duration;

/**
 * The tunables of one {@link EventConsumerLoop}.
 *
 * @param maxPollRecords the most records one poll hands to the handler; a handler that takes long
 *     per record (generation) wants few, so a poll is handled well within {@code maxPollInterval}
 * @param maxPollInterval how long handling one poll may take before the broker gives the partitions
 *     to another member; the loop survives it (it re-polls and gets the records again)
 * @param attemptsBeforeDeadLetter how often a record may fail in the handler before it goes to the
 *     dead-letter topic with the reason; failures that are outages of a dependency do not count
 * @param firstPause the pause after the first failure; it doubles with each failure in a row
 * @param longestPause the longest pause between two attempts
 */
public record ConsumerSettings(
    int maxPollRecords,
    Duration maxPollInterval,
    int attemptsBeforeDeadLetter,
    Duration firstPause,
    Duration longestPause) {

  public ConsumerSettings {
    if (maxPollRecords < 1) throw new IllegalArgumentException("maxPollRecords must be >= 1");
    if (attemptsBeforeDeadLetter < 1) {
      throw new IllegalArgumentException("attemptsBeforeDeadLetter must be >= 1");
    }
    if (firstPause.isNegative() || longestPause.compareTo(firstPause) < 0) {
      throw new IllegalArgumentException("pauses must satisfy 0 <= firstPause <= longestPause");
    }
  }

  /** 200 records a poll, 5 minutes to handle them, 10 attempts, pauses from 0.5 s up to 10 s. */
  public static ConsumerSettings defaults() {
    return new ConsumerSettings(
        200, Duration.ofMinutes(5), 10, Duration.ofMillis(500), Duration.ofSeconds(10));
  }

  public ConsumerSettings withMaxPollRecords(int records) {
    return new ConsumerSettings(
        records, maxPollInterval, attemptsBeforeDeadLetter, firstPause, longestPause);
  }

  public ConsumerSettings withMaxPollInterval(Duration interval) {
    return new ConsumerSettings(
        maxPollRecords, interval, attemptsBeforeDeadLetter, firstPause, longestPause);
  }

  public ConsumerSettings withAttemptsBeforeDeadLetter(int attempts) {
    return new ConsumerSettings(
        maxPollRecords, maxPollInterval, attempts, firstPause, longestPause);
  }

  public ConsumerSettings withPauses(Duration first, Duration longest) {
    return new ConsumerSettings(
        maxPollRecords, maxPollInterval, attemptsBeforeDeadLetter, first, longest);
  }

  /** The pause after {@code failures} failures in a row: doubling from the first, capped. */
  Duration pauseAfter(int failures) {
    long millis = firstPause.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
    return Duration.ofMillis(Math.min(millis, longestPause.toMillis()));
  }
}
