package dev.rlhf.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that encrypts labeling-service's session cookies. Quarkus makes up a new one on every
 * start unless it is given one, which signs every contractor out at each restart; the run command
 * keeps one in the data directory instead, readable by its owner only.
 */
final class SessionKey {

  static final String FILE = "session.key";

  private SessionKey() {}

  /** The key stored under {@code dataDirectory}, made on the first call. */
  static String in(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the session key in " + file, e);
    }
  }
}
