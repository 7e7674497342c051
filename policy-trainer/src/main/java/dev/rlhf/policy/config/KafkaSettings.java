package dev.rlhf.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the broker is. */
@ConfigMapping(prefix = "rlhf.kafka")
public interface KafkaSettings {

  /** Comma-separated host:port list of the Kafka brokers. */
  String bootstrapServers();

  /** Consumer group of this service. */
  @WithDefault("policy-trainer")
  String groupId();
}
