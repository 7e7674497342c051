package dev.rlhf.labeling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.rest.ProblemDetail;
import dev.rlhf.labeling.rest.ProblemMappers;
import dev.rlhf.testing.EmbeddedKafkaResource;
import dev.rlhf.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/**
 * What a request answers when PostgreSQL goes away while a resource is already at work (the fault
 * drills kill it mid-burst; these are the failures they saw): 503 with {@code Retry-After}, as
 * before a resource (sign-in), never the 500 of a fault of ours.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedKafkaResource.class)
class OutageAnswerTest {

  @Inject ProblemMappers mappers;
  @Inject AgroalDataSource dataSource;

  @Test
  void shouldAnswer503WithRetryAfterWhenTheDatabaseGoesAwayDuringARequest() {
    var lostConnection =
        new JDBCConnectionException(
            "JDBC exception executing SQL",
            new SQLException("An I/O error occurred while sending to the backend.", "08006"));
    var serverGone =
        new GenericJDBCException(
            "JDBC exception executing SQL",
            new SQLException(
                "FATAL: terminating connection due to unexpected postmaster exit", "57P01"));

    for (RuntimeException failure : new RuntimeException[] {lostConnection, serverGone}) {
      Response answer = mappers.unexpected(failure);
      assertThat(answer.getStatus()).as(failure.getMessage()).isEqualTo(503);
      assertThat(answer.getHeaderString("Retry-After")).isEqualTo("5");
      assertThat(answer.getMediaType()).hasToString(ProblemDetail.MEDIA_TYPE);
      assertThat(((ProblemDetail) answer.getEntity()).detail())
          .contains("the database is unreachable");
    }
  }

  @Test
  void shouldStillAnswer500ForAFailureThatIsNoOutage() {
    Response answer =
        mappers.unexpected(
            new GenericJDBCException(
                "JDBC exception executing SQL", new SQLException("division by zero", "22012")));
    assertThat(answer.getStatus()).isEqualTo(500);
    assertThat(answer.getHeaderString("Retry-After")).isNull();
  }

  @Test
  void shouldAnswer503WithRetryAfterWhileEveryDatabaseConnectionIsInUse() throws SQLException {
    List<Connection> held = new ArrayList<>();
    try {
      // Take every connection the pool has; the next request waits its acquisition timeout.
      while (true) {
        try {
          held.add(dataSource.getConnection());
        } catch (SQLException exhausted) {
          break;
        }
      }
      var answer = given().auth().preemptive().basic("admin", "admin").get("/api/projects");

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.header("Retry-After")).isEqualTo("5");
      assertThat(answer.contentType()).startsWith(ProblemDetail.MEDIA_TYPE);
      assertThat(answer.jsonPath().getString("detail"))
          .contains("every database connection is in use");
    } finally {
      for (Connection connection : held) connection.close();
    }
    given().auth().preemptive().basic("admin", "admin").get("/api/projects").then().statusCode(200);
  }
}
