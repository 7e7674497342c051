package dev.rlhf.labeling.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for a few minutes, that a password matched an account's bcrypt hash. bcrypt is slow on
 * purpose (tens of milliseconds); scripts using basic auth send the password with every request and
 * would pay that each time. Only a SHA-256 digest salted with the stored hash is kept, and a
 * changed hash invalidates the entry.
 */
@ApplicationScoped
public class VerifiedCredentials {

  private static final Duration TTL = Duration.ofMinutes(5);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(String passwordHash, byte[] digest, long expiresAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  boolean isVerified(String username, String passwordHash, String password) {
    Entry entry = entries.get(username);
    return entry != null
        && entry.passwordHash.equals(passwordHash)
        && System.nanoTime() - entry.expiresAtNanos < 0
        && MessageDigest.isEqual(entry.digest, digest(passwordHash, password));
  }

  void remember(String username, String passwordHash, String password) {
    if (entries.size() >= MAX_ENTRIES) entries.clear();
    entries.put(
        username,
        new Entry(passwordHash, digest(passwordHash, password), System.nanoTime() + TTL.toNanos()));
  }

  private static byte[] digest(String passwordHash, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(passwordHash.getBytes(StandardCharsets.UTF_8));
      return sha.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
