package dev.rlhf.labeling.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets this service hands out (session cookies, report tokens, runtime keys): 32 random bytes,
 * stored only as a SHA-256 digest. Nothing there is guessable, so a fast digest is enough and a
 * lookup per request stays cheap; a stolen table gives no working secret.
 */
public final class SecretTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretTokens() {}

  /** A new secret; the prefix says what it is for when it turns up in a log or a config file. */
  public static String issue(String prefix) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The hex SHA-256 digest that is stored in place of the secret. */
  public static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
