package dev.rlhf.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stacks the integration tests share instead of each starting its own ({@link SharedPlatform}
 * and {@link SharedReplicas}): starting the packaged services costs half a minute of the two cores
 * a CI machine has. At most one of them runs at a time, so that two never compete for the cores:
 * starting one stops the other. A class that uses one names this extension: whatever runs is
 * stopped when the whole test run ends, and a stack's data directory (the services' logs under
 * {@code logs/}) is kept when a test failed while it ran.
 */
final class SharedStacks implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    // Closed with the root context: when the whole test run ends.
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedStacks.class))
        .computeIfAbsent("stop", key -> (AutoCloseable) SharedStacks::stopAll, Object.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) DataDirectory.failedWhileRunning();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) DataDirectory.failedWhileRunning();
  }

  static void stopAll() {
    SharedPlatform.stopForOwnServices();
    SharedReplicas.stopForOwnServices();
  }

  /** A shared stack's data directory: deleted when the stack stops, unless a test failed. */
  static final class DataDirectory {

    /** The directories of the stacks running now. */
    private static final Set<DataDirectory> open = ConcurrentHashMap.newKeySet();

    private final Path path;
    private volatile boolean keep;

    private DataDirectory(Path path) {
      this.path = path;
    }

    static DataDirectory create(String prefix) {
      try {
        DataDirectory directory = new DataDirectory(Files.createTempDirectory(prefix));
        open.add(directory);
        return directory;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static void failedWhileRunning() {
      open.forEach(DataDirectory::keep);
    }

    Path path() {
      return path;
    }

    void keep() {
      keep = true;
    }

    /** Deletes the directory, or says where it is kept. */
    void close() {
      open.remove(this);
      if (keep) {
        System.out.println("kept after a failure (the services' logs are under logs/): " + path);
        return;
      }
      deleteQuietly(path);
    }
  }

  /** Deletes a test's directory tree; one that cannot be read is reported and left. */
  static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.out.println(directory + " was not deleted: " + e.getMessage());
    }
  }
}
