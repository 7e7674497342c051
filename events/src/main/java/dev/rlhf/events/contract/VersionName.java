package dev.rlhf.events.contract;

import java.util.regex.Pattern;

/**
 * What a model version may be called. A version is named everywhere by this name only (training
 * commands, published and promoted versions, a cycle's base): its checkpoint is the directory of
 * that name under the checkpoints root. So a name is one plain directory name, never a path.
 */
public final class VersionName {

  public static final int MAX_LENGTH = 200;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  /** Said to whoever gives a name that is not one. */
  public static final String RULE =
      "a version name: 1-"
          + MAX_LENGTH
          + " letters, digits, '.', '_' or '-', not starting with"
          + " '.', '_' or '-' (a name, not a path)";

  private VersionName() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The name, or an IllegalArgumentException naming the field, for the event records. */
  static String require(String name, String field) {
    if (!isValid(name)) throw new IllegalArgumentException(field + " must be " + RULE);
    return name;
  }
}
