package dev.rlhf.events.kafka;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure caused by a dependency being away (the database or the broker is down, a
 * connection was refused or timed out) from one caused by the work itself. An outage says nothing
 * about the event being handled: it is retried until the dependency is back and never counts
 * towards dead-lettering; it also makes an HTTP service answer 503 rather than 500.
 */
public final class Outages {

  private Outages() {}

  /**
   * True when {@code failure}, any of its causes or any exception suppressed along the way (a
   * failed commit carries the database's reason there) is an outage or a {@link RetryLater}. A
   * connection pool with no connection free is one too: the database is busy, the work is fine.
   */
  public static boolean isOutage(Throwable failure) {
    return anywhere(failure, Outages::isOutageItself);
  }

  /**
   * True when the failure comes from a connection pool that had no connection free within its
   * acquisition timeout (Agroal's, the pool Quarkus uses, says so in a plain SQLException).
   */
  public static boolean isPoolExhausted(Throwable failure) {
    return anywhere(failure, Outages::isPoolExhaustedItself);
  }

  private static boolean anywhere(Throwable failure, Predicate<Throwable> test) {
    return anywhere(failure, test, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static boolean anywhere(Throwable t, Predicate<Throwable> test, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) return false;
    if (test.test(t)) return true;
    for (Throwable suppressed : t.getSuppressed()) {
      if (anywhere(suppressed, test, seen)) return true;
    }
    return anywhere(t.getCause(), test, seen);
  }

  private static boolean isOutageItself(Throwable t) {
    return t instanceof RetryLater
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof SocketTimeoutException
        || t instanceof SQLTransientException
        || t instanceof SQLRecoverableException
        || t instanceof RetriableException
        || t instanceof org.apache.kafka.common.errors.TimeoutException
        || (t instanceof SQLException sql && isUnavailable(sql.getSQLState()))
        || isPoolExhaustedItself(t);
  }

  private static boolean isPoolExhaustedItself(Throwable t) {
    return t instanceof SQLException sql
        && sql.getSQLState() == null
        && sql.getMessage() != null
        && sql.getMessage().contains("acquisition timeout");
  }

  /**
   * SQL states of a server that cannot be reached or is going away: class 08 (connection
   * exception), 57P01-57P03 (shutdown, crash, cannot connect now) and 53300 (too many connections).
   */
  private static boolean isUnavailable(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("53300"));
  }
}
