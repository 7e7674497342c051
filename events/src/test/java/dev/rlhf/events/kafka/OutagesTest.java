package dev.rlhf.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class OutagesTest {

  @Test
  void shouldTellADependencyAwayFromAFaultOfTheWork() {
    assertThat(Outages.isOutage(new IllegalStateException("wrapped", new ConnectException())))
        .isTrue();
    assertThat(Outages.isOutage(new SQLException("Connection refused", "08001"))).isTrue();
    assertThat(Outages.isOutage(new SQLException("terminating connection", "57P01"))).isTrue();
    assertThat(Outages.isOutage(new RetryLater("labels still on their way"))).isTrue();

    assertThat(Outages.isOutage(new IllegalStateException("a bug"))).isFalse();
    assertThat(Outages.isOutage(new SQLException("duplicate key", "23505"))).isFalse();
  }

  @Test
  void shouldFindTheDatabasesReasonInTheExceptionsAFailedCommitSuppressed() {
    Exception commit = new IllegalStateException("Could not commit transaction");
    Exception resource = new Exception("Error trying to commit local transaction");
    resource.initCause(new SQLException("terminating connection", "57P01"));
    commit.addSuppressed(resource);

    assertThat(Outages.isOutage(new RuntimeException("invoking", commit))).isTrue();
  }

  @Test
  void shouldTakeAPoolWithNoConnectionFreeForAnOutage() {
    // What Agroal throws when every connection stays in use for its acquisition timeout.
    var exhausted =
        new IllegalStateException("wrapped", new SQLException("Sorry, acquisition timeout!"));

    assertThat(Outages.isOutage(exhausted)).isTrue();
    assertThat(Outages.isPoolExhausted(exhausted)).isTrue();
    assertThat(Outages.isPoolExhausted(new SQLException("Connection refused", "08001"))).isFalse();
  }
}
