package dev.rlhf.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
  void shouldApplyEveryMigrationToAnEmptyDatabase() {
    try (EmbeddedDatabase database = EmbeddedDatabase.startForTests()) {
      var result =
          Flyway.configure()
              .dataSource(database.jdbcUrl(), database.user(), database.password())
              .load()
              .migrate();
      assertThat(result.success).isTrue();
      assertThat(result.migrationsExecuted).isGreaterThan(0);
    }
  }

  private static Connection connect(EmbeddedDatabase database) throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }
}
