package dev.rlhf.testing;

import dev.rlhf.events.kafka.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real single-node Kafka broker for a {@code @QuarkusTest}. Tests reach it through the {@code
 * rlhf.kafka.bootstrap-servers} config value.
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {

  private static EmbeddedKafka kafka;

  @Override
  public Map<String, String> start() {
    kafka = EmbeddedKafka.startForTests();
    return Map.of("rlhf.kafka.bootstrap-servers", kafka.bootstrapServers());
  }

  @Override
  public void stop() {
    if (kafka != null) kafka.close();
    kafka = null;
  }

  /** Stops the broker, keeping its ports and log directory for {@link #restartBroker()}. */
  public static void stopBroker() {
    kafka.close();
  }

  /** Starts the broker again on the same ports with the same log directory. */
  public static void restartBroker() {
    kafka = kafka.restart();
  }

  /** The running broker, for tests that stop and restart it. */
  public static EmbeddedKafka broker() {
    return kafka;
  }
}
