package dev.rlhf.events.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How the platform's Kafka clients sign in to the broker, the same for every producer and consumer
 * of every service, from the environment:
 *
 * <ul>
 *   <li>{@code KAFKA_SECURITY_PROTOCOL}: {@code SASL_PLAINTEXT} (compose: a private network) or
 *       {@code SASL_SSL}; unset, plaintext without sign-in, as the embedded broker of the run
 *       command and the tests speaks (it listens on 127.0.0.1 only);
 *   <li>{@code KAFKA_SASL_MECHANISM}: {@code SCRAM-SHA-512} unless set;
 *   <li>{@code KAFKA_SASL_USERNAME}, {@code KAFKA_SASL_PASSWORD}: the SCRAM credentials.
 * </ul>
 *
 * <p>For SASL_SSL the broker's certificate is checked against the JVM's trust store ({@code
 * -Djavax.net.ssl.trustStore=...} in {@code JAVA_OPTS}).
 */
public final class KafkaClientSecurity {

  private KafkaClientSecurity() {}

  /** Adds the sign-in settings of this process's environment to a client's properties. */
  public static Properties apply(Properties client) {
    return apply(client, System.getenv());
  }

  static Properties apply(Properties client, Map<String, String> env) {
    String protocol = env.getOrDefault("KAFKA_SECURITY_PROTOCOL", "").strip();
    if (protocol.isEmpty() || protocol.equalsIgnoreCase("PLAINTEXT")) return client;
    client.put("security.protocol", protocol.toUpperCase(Locale.ROOT));
    if (!protocol.toUpperCase(Locale.ROOT).startsWith("SASL_")) return client;
    String mechanism = env.getOrDefault("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").strip();
    String username = required(env, "KAFKA_SASL_USERNAME");
    String password = required(env, "KAFKA_SASL_PASSWORD");
    client.put("sasl.mechanism", mechanism);
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    client.put(
        "sasl.jaas.config",
        module
            + " required username=\""
            + quoted(username)
            + "\" password=\""
            + quoted(password)
            + "\";");
    return client;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is required with KAFKA_SECURITY_PROTOCOL SASL_*");
    }
    return value;
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
