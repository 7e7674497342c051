package dev.rlhf.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @TempDir Path dataDirectory;

  @Test
  void shouldKeepDataAcrossRestartsInRunMode() throws Exception {
    int port = EmbeddedDatabase.freePort();
    try (EmbeddedDatabase database = EmbeddedDatabase.startPersistent(dataDirectory, port)) {
      Flyway.configure()
          .dataSource(database.jdbcUrl(), database.user(), database.password())
          .load()
          .migrate();
      try (Connection connection = connect(database);
          Statement statement = connection.createStatement()) {
        statement.execute(
            "insert into processed_event (consumer, event_id) values ('test', gen_random_uuid())");
      }
    }
    try (EmbeddedDatabase restarted = EmbeddedDatabase.startPersistent(dataDirectory, port);
        Connection connection = connect(restarted);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from processed_event")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void shouldWaitForTheDiskOnEveryCommitInRunModeSoAKilledServerKeepsEveryAcknowledgedOne()
      throws Exception {
    int port = EmbeddedDatabase.freePort();
    int rows = 200;
    EmbeddedDatabase database = EmbeddedDatabase.startPersistent(dataDirectory, port);
    assertThat(settings(database))
        .containsEntry("fsync", "on")
        .containsEntry("synchronous_commit", "on")
        .containsEntry("full_page_writes", "on");
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute("create table acknowledged (n int primary key)");
      for (int n = 0; n < rows; n++) {
        statement.execute("insert into acknowledged values (" + n + ")"); // one commit each
      }
    }
    ProcessHandle server = database.postmaster().orElseThrow();
    server.destroyForcibly(); // kill -9: no shutdown checkpoint, only the write-ahead log
    server.onExit().get(10, TimeUnit.SECONDS);
    assertThat(database.postmaster()).isEmpty();
    database.close();

    try (EmbeddedDatabase restarted = EmbeddedDatabase.startPersistent(dataDirectory, port);
        Connection connection = connect(restarted);
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("select count(*) from acknowledged")) {
      count.next();
      assertThat(count.getInt(1)).isEqualTo(rows);
      assertThat(restarted.postmaster()).isPresent();
    }
  }

  @Test
  void shouldApplyEveryMigrationToAnEmptyDatabaseOfTestModeWhichSkipsTheDisk() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.startForTests()) {
      // Test mode only: a throw-away directory, so nothing acknowledged there needs to survive.
      assertThat(settings(database))
          .containsEntry("fsync", "off")
          .containsEntry("synchronous_commit", "off");
      var result =
          Flyway.configure()
              .dataSource(database.jdbcUrl(), database.user(), database.password())
              .load()
              .migrate();
      assertThat(result.success).isTrue();
      assertThat(result.migrationsExecuted).isGreaterThan(0);
    }
  }

  @Test
  void shouldListenOnThisMachineOnlySinceNoPasswordGuardsIt() throws Exception {
    int port = EmbeddedDatabase.freePort();
    try (EmbeddedDatabase database = EmbeddedDatabase.startPersistent(dataDirectory, port)) {
      assertThat(settings(database)).containsEntry("listen_addresses", "127.0.0.1");
      InetAddress reachable = reachableAddress();
      assumeTrue(reachable != null, "this machine has no address but loopback");
      assertThatThrownBy(() -> new Socket(reachable, port).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  /** An address other machines could reach this one at, if it has one. */
  private static InetAddress reachableAddress() throws SocketException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) continue;
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address) return address;
      }
    }
    return null;
  }

  private static Map<String, String> settings(EmbeddedDatabase database) throws Exception {
    Map<String, String> settings = new HashMap<>();
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select name, setting from pg_settings"
                    + " where name in ('fsync', 'synchronous_commit', 'full_page_writes',"
                    + " 'listen_addresses')")) {
      while (rows.next()) settings.put(rows.getString(1), rows.getString(2));
    }
    return settings;
  }

  private static Connection connect(EmbeddedDatabase database) throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }
}
