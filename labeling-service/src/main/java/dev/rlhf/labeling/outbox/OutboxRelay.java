package dev.rlhf.labeling.outbox;

import dev.rlhf.events.kafka.EventPublisher;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes outbox rows to Kafka in id order and marks them sent, on its own thread.
 *
 * <p>No transaction is open while it waits for the broker: a round reads unsent rows, sends them,
 * waits for the acknowledgements and then marks them, each statement committing on its own. During
 * a broker outage the producer keeps retrying the same records (see {@link
 * OutboxSettings#deliveryTimeout}), so the outage adds no duplicate; a crash between the send and
 * the mark sends a round again, which idempotent consumers absorb (at-least-once). A row the broker
 * refuses for good (too large, say) is parked with the reason, counted in {@code
 * rlhf_outbox_parked} and listed for admins, instead of holding back every row after it.
 *
 * <p>One relay is active at a time even with several service instances, which keeps the order per
 * aggregate: the one holding a session advisory lock on its own connection. If that connection
 * dies, so does the lock, and any instance may take over.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final long RELAY_LOCK = 0x52_4c_48_46_4f_42L; // "RLHFOB"

  private final AgroalDataSource dataSource;
  private final EventPublisher publisher;
  private final OutboxSettings settings;
  private final Counter published;
  private final Counter parked;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private Thread thread;
  private Connection leader;
  private Instant pausedSince;

  OutboxRelay(
      AgroalDataSource dataSource,
      EventPublisher publisher,
      OutboxSettings settings,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.publisher = publisher;
    this.settings = settings;
    this.published = meters.counter("rlhf.outbox.published");
    this.parked = meters.counter("rlhf.outbox.parked.rows");
  }

  void start(@Observes StartupEvent event) {
    thread = new Thread(this::run, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    stopping.countDown();
    if (thread != null) thread.join(10_000);
  }

  private void run() {
    while (stopping.getCount() > 0) {
      int sent;
      try {
        sent = round();
        resumed();
      } catch (Exception e) {
        paused(e);
        sent = 0;
        dropLeadership();
      }
      // A full round means a backlog: drain it without waiting.
      if (sent < settings.batchSize()) await(settings.pollInterval());
    }
    dropLeadership();
  }

  /** One round: returns how many rows it sent. */
  int round() throws SQLException {
    if (!lead()) return 0;
    List<OutboxRow> rows = OutboxRow.unsent(leader, settings.batchSize());
    if (rows.isEmpty()) return 0;
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    for (OutboxRow row : rows) sends.add(send(row));
    List<Long> sent = new ArrayList<>();
    Map<Long, String> refused = new LinkedHashMap<>();
    Throwable retry = null;
    for (int i = 0; i < rows.size(); i++) {
      Throwable failure = outcome(sends.get(i));
      if (failure == null) sent.add(rows.get(i).id());
      else if (KafkaRefusals.isForGood(failure)) refused.put(rows.get(i).id(), failure.toString());
      else if (retry == null) retry = failure;
    }
    OutboxRow.markSent(leader, sent);
    published.increment(sent.size());
    for (var refusal : refused.entrySet()) {
      Log.errorf(
          "outbox row %d parked, the broker refuses it: %s", refusal.getKey(), refusal.getValue());
      OutboxRow.park(leader, refusal.getKey(), refusal.getValue());
      parked.increment();
    }
    if (retry != null) {
      throw new IllegalStateException("the broker did not take the round: " + retry, retry);
    }
    return rows.size();
  }

  private Future<RecordMetadata> send(OutboxRow row) {
    try {
      return publisher.publishJson(
          row.topic(),
          row.key(),
          row.eventId().toString(),
          row.eventType(),
          row.payload().getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /** Waits for one send; the producer settles each within its delivery timeout. */
  private Throwable outcome(Future<RecordMetadata> send) {
    try {
      send.get(settings.deliveryTimeout().toSeconds() + 30, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (java.util.concurrent.TimeoutException e) {
      return e;
    }
  }

  /** True while this instance holds the relay lock on its own connection. */
  private boolean lead() throws SQLException {
    if (leader != null && leader.isValid(5)) return true;
    dropLeadership();
    Connection connection = dataSource.getConnection();
    try (var lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
      connection.setAutoCommit(true);
      lock.setLong(1, RELAY_LOCK);
      try (var result = lock.executeQuery()) {
        if (result.next() && result.getBoolean(1)) {
          leader = connection;
          return true;
        }
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    connection.close(); // another instance relays
    return false;
  }

  private void dropLeadership() {
    if (leader == null) return;
    // A pooled connection outlives this use: unlock first, or the pool would keep the lock.
    try (var unlock = leader.prepareStatement("select pg_advisory_unlock_all()")) {
      unlock.execute();
    } catch (SQLException ignored) {
      // the connection is gone, and the lock with it
    }
    try {
      leader.close();
    } catch (SQLException ignored) {
      // as above
    }
    leader = null;
  }

  /** One line when the relay stops getting rows out, not one per round. */
  private void paused(Exception e) {
    if (pausedSince != null) return;
    pausedSince = Instant.now();
    Log.warnf("outbox relay paused, retrying every %s: %s", settings.pollInterval(), e.toString());
  }

  private void resumed() {
    if (pausedSince == null) return;
    Log.infof(
        "outbox relay resumed after %.1f s",
        Duration.between(pausedSince, Instant.now()).toMillis() / 1000.0);
    pausedSince = null;
  }

  private void await(Duration pause) {
    try {
      stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }
}
