package dev.rlhf.labeling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the broker is, and this service's consumer group. */
@ConfigMapping(prefix = "rlhf.kafka")
public interface KafkaSettings {

  /** Comma-separated host:port list of the Kafka brokers. */
  String bootstrapServers();

  /** Consumer group of this service. */
  @WithDefault("labeling-service")
  String groupId();
}
