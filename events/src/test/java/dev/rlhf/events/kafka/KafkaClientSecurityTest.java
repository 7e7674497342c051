package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Clients sign in to a broker that requires SASL/SCRAM, as the compose stack's broker does. */
class KafkaClientSecurityTest {

  private static final EmbeddedKafka.ScramUser USER =
      new EmbeddedKafka.ScramUser("rlhf", "a long broker password");

  private static Map<String, String> env(String password) {
    return Map.of(
        "KAFKA_SECURITY_PROTOCOL",
        "SASL_PLAINTEXT",
        "KAFKA_SASL_USERNAME",
        USER.username(),
        "KAFKA_SASL_PASSWORD",
        password);
  }

  private static void send(EmbeddedKafka kafka, Map<String, String> env) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    KafkaClientSecurity.apply(p, env);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>("signed-in", "k", "v".getBytes(StandardCharsets.UTF_8)))
          .get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldLeaveClientsOfTheLocalBrokerAsTheyAreWithoutSettings() {
    Properties p = KafkaClientSecurity.apply(new Properties(), Map.of());

    assertThat(p).isEmpty();
  }

  @Test
  void shouldSignInWithScramAndBeRefusedWithAWrongPassword() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startForTests(USER)) {
      send(kafka, env(USER.password()));

      assertThatThrownBy(() -> send(kafka, env("a wrong password")))
          .hasStackTraceContaining("Authentication failed");
      assertThatThrownBy(() -> send(kafka, Map.of())).isInstanceOf(Exception.class);
    }
  }

  @Test
  void shouldQuoteCredentialsSoThatAPasswordCannotAddSettings() {
    Properties p = KafkaClientSecurity.apply(new Properties(), env("pw\" unsafe.option=\"x"));

    assertThat(p.getProperty("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"rlhf\" password=\"pw\\\" unsafe.option=\\\"x\";");
  }
}
