package dev.rlhf.labeling.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long bookkeeping rows are kept, and how the retention job deletes the rest. */
@ConfigMapping(prefix = "rlhf.retention")
public interface RetentionSettings {

  /** How often the job runs. */
  @WithDefault("1h")
  Duration interval();

  /**
   * Published outbox rows older than this are deleted: by then Kafka holds the event and the relay
   * never reads the row again. Label events (DemonstrationSubmitted, RankingSubmitted) are kept
   * whatever their age: training snapshots and model lineage name labels by these rows.
   */
  @WithDefault("7d")
  Duration outboxAge();

  /**
   * A consumer's record of an event it processed. Kept longer than the topics keep events (Kafka's
   * default is 7 days), so no event that can still be redelivered is forgotten.
   */
  @WithDefault("30d")
  Duration processedEventAge();

  /** A submission's Idempotency-Key and stored result: clients retry within minutes, not days. */
  @WithDefault("7d")
  Duration idempotencyKeyAge();

  /** Rows per delete statement (one short transaction each), so no table is locked for long. */
  @WithDefault("5000")
  int batchSize();
}
