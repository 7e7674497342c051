package dev.rlhf.events.kafka;

import dev.rlhf.events.contract.WorkerHeartbeatReported;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a worker process on the workers topic every few seconds, so labeling-service (and the
 * operator) know which trainers and runtimes are up and whether they found a GPU.
 */
public final class WorkerHeartbeat implements AutoCloseable {

  public static final Duration INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(WorkerHeartbeat.class);

  private final EventPublisher publisher;
  private final boolean ownsPublisher;
  private final String workerId;
  private final String service;
  private final String device;
  private final Supplier<Collection<UUID>> runs;
  private final Instant startedAt = Instant.now();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "worker-heartbeat");
            t.setDaemon(true);
            return t;
          });

  public WorkerHeartbeat(EventPublisher publisher, String service, String device) {
    this(publisher, false, service, device, List::of);
  }

  private WorkerHeartbeat(
      EventPublisher publisher,
      boolean ownsPublisher,
      String service,
      String device,
      Supplier<Collection<UUID>> runs) {
    this.publisher = publisher;
    this.ownsPublisher = ownsPublisher;
    this.service = service;
    this.device = device;
    this.runs = runs;
    this.workerId = service + "@" + ProcessHandle.current().pid() + "-" + shortId();
  }

  /** Starts announcing a worker over its own producer; closing the heartbeat closes both. */
  public static WorkerHeartbeat announce(String bootstrapServers, String service, String device) {
    return announce(bootstrapServers, service, device, List::of);
  }

  /**
   * Starts announcing a trainer, naming in each beat the runs it holds, so labeling-service can
   * tell a run whose trainer died for good from one that is still being worked on.
   */
  public static WorkerHeartbeat announce(
      String bootstrapServers, String service, String device, Supplier<Collection<UUID>> runs) {
    EventPublisher publisher = new EventPublisher(bootstrapServers, service + "-presence");
    return new WorkerHeartbeat(publisher, true, service, device, runs).start();
  }

  public WorkerHeartbeat start() {
    timer.scheduleAtFixedRate(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void beat() {
    try {
      publisher.publish(
          new WorkerHeartbeatReported(
              UUID.randomUUID(),
              Instant.now(),
              workerId,
              service,
              device,
              startedAt,
              List.copyOf(runs.get())));
    } catch (RuntimeException e) {
      // A missed beat only delays the worker's "online" mark; the next one retries.
      LOG.debug("heartbeat not sent: {}", e.toString());
    }
  }

  public String workerId() {
    return workerId;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (ownsPublisher) publisher.close();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
