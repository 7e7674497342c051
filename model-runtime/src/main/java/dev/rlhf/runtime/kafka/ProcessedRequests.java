package dev.rlhf.runtime.kafka;

import dev.rlhf.runtime.config.RuntimeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the Kafka requests already answered, kept in an append-only file (one id a line,
 * synced to disk) and read back at start, so a redelivered request is not sampled twice.
 *
 * <p>A file and not a scan of the output topic: a scan would read every completion ever generated
 * on each start, and a file of 37-byte lines stays small and local. The id is written after the
 * answer is acknowledged by the broker; a crash between the two answers a request twice, never zero
 * times.
 */
@ApplicationScoped
public class ProcessedRequests {

  private final Path file;
  private final Set<UUID> seen = ConcurrentHashMap.newKeySet();

  ProcessedRequests(RuntimeSettings settings) {
    this.file = Path.of(settings.stateDirectory()).resolve("processed-requests.log");
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            seen.add(UUID.fromString(line.trim()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public boolean contains(UUID requestId) {
    return seen.contains(requestId);
  }

  public synchronized void add(UUID requestId) {
    if (!seen.add(requestId)) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel out =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        out.write(StandardCharsets.US_ASCII.encode(requestId + "\n"));
        out.force(false);
      }
    } catch (IOException e) {
      seen.remove(requestId);
      throw new UncheckedIOException("cannot record request " + requestId + " in " + file, e);
    }
  }
}
