package dev.rlhf.labeling.health;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether PostgreSQL is away, as requests find out. An outage is logged once when it begins and
 * once when it ends, not once per failed request: while it lasts a probe checks every second for
 * the database to be back.
 */
@ApplicationScoped
public class DatabaseOutages {

  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private final AgroalDataSource dataSource;
  private final ScheduledExecutorService probe =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "database-outage-probe");
            t.setDaemon(true);
            return t;
          });
  private Instant downSince;
  private ScheduledFuture<?> probing;

  DatabaseOutages(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A request failed because the database could not be reached. */
  public synchronized void failed(Throwable cause) {
    if (downSince != null) return;
    downSince = Instant.now();
    Log.warnf("database unreachable, answering 503 until it is back: %s", rootCause(cause));
    probing =
        probe.scheduleWithFixedDelay(
            this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized boolean isDown() {
    return downSince != null;
  }

  private void probe() {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.isValid(2)) return;
    } catch (SQLException | RuntimeException e) {
      return;
    }
    synchronized (this) {
      Log.infof(
          "database reachable again after %.1f s",
          Duration.between(downSince, Instant.now()).toMillis() / 1000.0);
      downSince = null;
      probing.cancel(false);
    }
  }

  private static String rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.toString();
  }

  @PreDestroy
  void stop() {
    probe.shutdownNow();
  }
}
