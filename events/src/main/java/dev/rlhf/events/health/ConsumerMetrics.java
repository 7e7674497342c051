package dev.rlhf.events.health;

import dev.rlhf.events.kafka.ConsumerLoops;
import dev.rlhf.events.kafka.ConsumerStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Every event consumer of the service in Prometheus, by consumer group: {@code rlhf_consumer_alive}
 * (1 or 0), {@code rlhf_consumer_lag} (records not yet handled), {@code rlhf_consumer_failures}
 * (failed attempts in a row), and the totals {@code rlhf_consumer_handled_total} and {@code
 * rlhf_consumer_dead_letters_total}. Alert on alive 0, on failures that stay above 0, and on any
 * new dead letter.
 */
@ApplicationScoped
public class ConsumerMetrics implements MeterBinder {

  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  private Consumer<String> listener;

  @Override
  public void bindTo(MeterRegistry registry) {
    // Consumers start after the registry is bound (some only once a replay is done).
    listener =
        group -> {
          if (groups.add(group)) register(registry, group);
        };
    ConsumerLoops.whenStarted(listener);
  }

  @PreDestroy
  void stop() {
    if (listener != null) ConsumerLoops.forget(listener);
  }

  private static void register(MeterRegistry registry, String group) {
    gauge(registry, group, "rlhf.consumer.alive", s -> s.alive() ? 1 : 0);
    gauge(registry, group, "rlhf.consumer.lag", s -> s.lag() < 0 ? Double.NaN : s.lag());
    gauge(registry, group, "rlhf.consumer.failures", ConsumerStatus::failures);
    counter(registry, group, "rlhf.consumer.handled", ConsumerStatus::handled);
    counter(registry, group, "rlhf.consumer.dead.letters", ConsumerStatus::deadLettered);
  }

  private static void gauge(
      MeterRegistry registry, String group, String name, ToDoubleFunction<ConsumerStatus> value) {
    Gauge.builder(name, () -> read(group, value)).tag("group", group).register(registry);
  }

  private static void counter(
      MeterRegistry registry, String group, String name, ToDoubleFunction<ConsumerStatus> value) {
    FunctionCounter.builder(name, group, g -> read(g, value))
        .tag("group", group)
        .register(registry);
  }

  /** Reads the group's current loop, so a loop started again under the same group is followed. */
  private static double read(String group, ToDoubleFunction<ConsumerStatus> value) {
    return ConsumerLoops.statuses().stream()
        .filter(s -> s.group().equals(group))
        .findFirst()
        .map(value::applyAsDouble)
        .orElse(Double.NaN);
  }
}
