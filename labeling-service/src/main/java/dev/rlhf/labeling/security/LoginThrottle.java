package dev.rlhf.labeling.security;

import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down, per account and per client address: after a run of failures each
 * further attempt must wait twice as long as the one before (1 s, 2 s, 4 s... up to a maximum). A
 * waiting attempt is refused before any password is checked, so guessing costs no bcrypt either. A
 * success clears the account's run but not the address's: one valid account must not buy an address
 * more guesses. A run is forgotten after {@code maxDelay} without a failure.
 *
 * <p>Kept in memory: it holds per instance of the service, and a restart forgets it.
 */
@ApplicationScoped
public class LoginThrottle {

  private static final int MAX_ENTRIES = 100_000;
  private static final String RETRY_AFTER = "rlhf.login.retry-after-seconds";

  private record Run(int failures, long lastFailureNanos) {}

  private final Map<String, Run> accounts = new ConcurrentHashMap<>();
  private final Map<String, Run> addresses = new ConcurrentHashMap<>();
  private final SecuritySettings.Login settings;

  LoginThrottle(SecuritySettings settings) {
    this.settings = settings.login();
  }

  /** How long an attempt for this account from this address must still wait; zero: go ahead. */
  public Duration waitFor(String username, String address) {
    long now = System.nanoTime();
    long account = waitNanos(accounts.get(key(username)), settings.accountFailures(), now);
    long client = waitNanos(addresses.get(address), settings.addressFailures(), now);
    return Duration.ofNanos(Math.max(0, Math.max(account, client)));
  }

  /** The refusal of an attempt that must wait, unchecked; it says how long. */
  static AuthenticationFailedException refusal(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return new AuthenticationFailedException(
        "too many failed sign-ins; try again in " + seconds + " s", Map.of(RETRY_AFTER, seconds));
  }

  /** The seconds to wait if this refusal is a throttling one. */
  static OptionalLong retryAfterSeconds(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationFailedException e && e.getAttribute(RETRY_AFTER) != null) {
        return OptionalLong.of(e.<Long>getAttribute(RETRY_AFTER));
      }
    }
    return OptionalLong.empty();
  }

  public void failed(String username, String address) {
    if (accounts.size() + addresses.size() > MAX_ENTRIES) forgetQuietRuns();
    long now = System.nanoTime();
    accounts.merge(key(username), new Run(1, now), (old, one) -> next(old, now));
    addresses.merge(address, new Run(1, now), (old, one) -> next(old, now));
  }

  public void succeeded(String username) {
    accounts.remove(key(username));
  }

  private Run next(Run old, long now) {
    boolean forgotten = now - old.lastFailureNanos > settings.maxDelay().toNanos();
    return new Run(forgotten ? 1 : old.failures + 1, now);
  }

  private long waitNanos(Run run, int threshold, long now) {
    if (run == null || run.failures < threshold) return 0;
    int doublings = Math.min(run.failures - threshold, 30);
    long delay =
        Math.min(Duration.ofSeconds(1L << doublings).toNanos(), settings.maxDelay().toNanos());
    return run.lastFailureNanos + delay - now;
  }

  private void forgetQuietRuns() {
    long now = System.nanoTime();
    long quiet = settings.maxDelay().toNanos();
    accounts.values().removeIf(run -> now - run.lastFailureNanos > quiet);
    addresses.values().removeIf(run -> now - run.lastFailureNanos > quiet);
  }

  private static String key(String username) {
    return username == null ? "" : username.toLowerCase(Locale.ROOT);
  }
}
