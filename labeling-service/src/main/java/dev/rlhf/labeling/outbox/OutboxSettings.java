package dev.rlhf.labeling.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every tunable of the outbox relay, with its default. */
@ConfigMapping(prefix = "rlhf.outbox")
public interface OutboxSettings {

  /** How long the relay waits after a round that found nothing to send; any duration, 50ms too. */
  @WithDefault("0.2s")
  Duration pollInterval();

  /** The most rows one round sends. */
  @WithDefault("500")
  int batchSize();

  /**
   * How long the producer keeps trying to deliver a round's records during a broker outage. It
   * retries them itself, with the sequence numbers that let the broker drop repeats, so an outage
   * shorter than this adds no duplicate; only after it are the rows sent anew.
   */
  @WithDefault("5m")
  Duration deliveryTimeout();
}
