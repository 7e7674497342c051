package dev.rlhf.testing;

import dev.rlhf.db.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real, throw-away PostgreSQL for a {@code @QuarkusTest}; Flyway migrates it on start. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedDatabase database;

  @Override
  public Map<String, String> start() {
    database = EmbeddedDatabase.startForTests();
    return Map.of(
        "quarkus.datasource.jdbc.url", database.jdbcUrl(),
        "quarkus.datasource.username", database.user(),
        "quarkus.datasource.password", database.password());
  }

  @Override
  public void stop() {
    if (database != null) database.close();
  }
}
