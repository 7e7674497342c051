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
 * A secret the run command makes once and keeps in the data directory, readable by its owner only,
 * so that it is the same after a restart: the model runtime's service key ({@code runtime.key}).
 */
final class SecretFile {

  static final String RUNTIME_KEY = "runtime.key";

  private SecretFile() {}

  /** The secret stored as {@code name} under {@code dataDirectory}, made on the first call. */
  static String in(Path dataDirectory, String name) {
    Path file = dataDirectory.resolve(name);
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
      throw new UncheckedIOException("cannot keep the secret in " + file, e);
    }
  }
}
