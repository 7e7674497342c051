package dev.rlhf.events.kafka;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The consumer loops running in this process, for its health checks and metrics. A loop is listed
 * from its start until it is closed, so one whose thread ended on its own shows as not alive.
 */
public final class ConsumerLoops {

  private static final Set<EventConsumerLoop> RUNNING = ConcurrentHashMap.newKeySet();
  private static final List<Consumer<String>> LISTENERS = new CopyOnWriteArrayList<>();

  private ConsumerLoops() {}

  static void started(EventConsumerLoop loop) {
    RUNNING.add(loop);
    String group = loop.status().group();
    LISTENERS.forEach(listener -> listener.accept(group));
  }

  /** Tells {@code listener} the group of every loop running now and of each one started later. */
  public static void whenStarted(Consumer<String> listener) {
    LISTENERS.add(listener);
    RUNNING.forEach(loop -> listener.accept(loop.status().group()));
  }

  /** Stops telling {@code listener} (its service is stopping). */
  public static void forget(Consumer<String> listener) {
    LISTENERS.remove(listener);
  }

  static void closed(EventConsumerLoop loop) {
    RUNNING.remove(loop);
  }

  /** Every listed loop's status, by group. */
  public static List<ConsumerStatus> statuses() {
    return RUNNING.stream()
        .map(EventConsumerLoop::status)
        .sorted(Comparator.comparing(ConsumerStatus::group))
        .toList();
  }
}
