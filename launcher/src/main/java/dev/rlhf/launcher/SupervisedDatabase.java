package dev.rlhf.launcher;

import dev.rlhf.db.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The platform's PostgreSQL, which the supervisor starts again on the same data directory and port
 * when its server process dies: the services reconnect by themselves, and with every commit on disk
 * before it was acknowledged, nothing acknowledged is lost.
 */
final class SupervisedDatabase implements Supervisor.Part {

  private final Path dataDirectory;
  private final int port;
  private volatile EmbeddedDatabase database;

  private SupervisedDatabase(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.database = EmbeddedDatabase.startPersistent(dataDirectory, port);
  }

  static SupervisedDatabase start(Path dataDirectory, int port) {
    return new SupervisedDatabase(dataDirectory, port);
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public Optional<String> stopped() {
    return database.postmaster().isPresent()
        ? Optional.empty()
        : Optional.of("stopped: its server process is gone");
  }

  /**
   * Starts a server on the same directory and port; it replays its write-ahead log first. As root
   * the library runs it in a user namespace (PostgreSQL refuses to run as root).
   */
  @Override
  public void restart() {
    try {
      database.close(); // releases the library's lock on the directory
    } catch (RuntimeException alreadyGone) {
      // the server is dead; only the lock mattered
    }
    database = EmbeddedDatabase.startPersistent(dataDirectory, port);
  }

  /** The server accepts connections once {@link #restart} returns. */
  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public void kill() {
    database.postmaster().ifPresent(ProcessHandle::destroyForcibly);
  }

  Optional<ProcessHandle> process() {
    return database.postmaster();
  }

  EmbeddedDatabase current() {
    return database;
  }

  void close() {
    database.close();
  }
}
