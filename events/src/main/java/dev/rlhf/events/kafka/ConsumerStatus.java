package dev.rlhf.events.kafka;

import java.time.Instant;
import java.util.List;

/**
 * How one consumer loop is doing, as health checks and metrics show it.
 *
 * @param alive whether its thread runs; false means it ended without being closed
 * @param lag records on its partitions not yet handled (at the last poll); -1 before it knows
 * @param failures failed attempts in a row; 0 while it is handling records normally
 * @param failingSince when the current run of failures began; null when none
 * @param lastFailure the latest failure's reason; null when none
 */
public record ConsumerStatus(
    String group,
    List<String> topics,
    boolean alive,
    long lag,
    Instant lastPollAt,
    int failures,
    Instant failingSince,
    String lastFailure,
    long handled,
    long deadLettered) {}
