package dev.rlhf.labeling.security;

import dev.rlhf.labeling.service.ApiProblem;
import java.security.SecureRandom;

/** What a password must be, and the temporary ones an admin's reset gives out. */
public final class PasswordPolicy {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 200;
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final int TEMPORARY_LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordPolicy() {}

  /** Refuses a password that is too short (or absurdly long) as a 422 naming the field. */
  public static void require(String field, String password) {
    int length = password == null ? 0 : password.codePointCount(0, password.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw ApiProblem.invalid(
          field, field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
    }
  }

  /** A random password for a reset, without look-alike characters, for reading out or pasting. */
  public static String temporary() {
    StringBuilder password = new StringBuilder(TEMPORARY_LENGTH);
    for (int i = 0; i < TEMPORARY_LENGTH; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
