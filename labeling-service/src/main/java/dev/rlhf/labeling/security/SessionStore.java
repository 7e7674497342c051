package dev.rlhf.labeling.security;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Browser sessions, kept in PostgreSQL ({@code user_session}) so that signing out, a password
 * change or a reset ends them for good, and so that they survive a restart. Plain JDBC: the
 * identity provider reads them outside any persistence context; inside a transaction the statements
 * join it.
 */
@ApplicationScoped
public class SessionStore {

  /** A live session and its account. */
  public record Session(UUID id, AccountLookup.StoredAccount account) {}

  // A request refreshes last_seen_at at most this often: one write a minute, not one a request.
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final String PREFIX = "rlhf_s_";

  private final AgroalDataSource dataSource;
  private final SecuritySettings.Sessions settings;

  SessionStore(AgroalDataSource dataSource, SecuritySettings settings) {
    this.dataSource = dataSource;
    this.settings = settings.sessions();
  }

  /** Opens a session for an account; answers the token its cookie carries. */
  public String open(UUID accountId) {
    String token = SecretTokens.issue(PREFIX);
    OffsetDateTime now = at(Instant.now());
    update(
        "insert into user_session (id, token_hash, account_id, created_at, last_seen_at)"
            + " values (?, ?, ?, ?, ?)",
        UUID.randomUUID(),
        SecretTokens.digest(token),
        accountId,
        now,
        now);
    return token;
  }

  /** The live session of a cookie's token; empty when there is none or it ran out. */
  public Optional<Session> find(String token) {
    Instant now = Instant.now();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "select s.id, s.created_at, s.last_seen_at,"
                    + " u.id, u.username, u.password_hash, u.roles, u.active"
                    + " from user_session s join app_user u on u.id = s.account_id"
                    + " where s.token_hash = ?")) {
      query.setString(1, SecretTokens.digest(token));
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) return Optional.empty();
        UUID id = row.getObject(1, UUID.class);
        Instant created = row.getObject(2, OffsetDateTime.class).toInstant();
        Instant lastSeen = row.getObject(3, OffsetDateTime.class).toInstant();
        if (now.isAfter(created.plus(settings.absoluteLifetime()))
            || now.isAfter(lastSeen.plus(settings.idleTimeout()))) {
          return Optional.empty();
        }
        if (now.isAfter(lastSeen.plus(TOUCH_EVERY))) {
          execute(connection, "update user_session set last_seen_at = ? where id = ?", at(now), id);
        }
        return Optional.of(
            new Session(
                id,
                new AccountLookup.StoredAccount(
                    row.getObject(4, UUID.class),
                    row.getString(5),
                    row.getString(6),
                    row.getString(7),
                    row.getBoolean(8))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("session lookup failed", e);
    }
  }

  /** Ends one session (signing out). */
  public void close(UUID sessionId) {
    update("delete from user_session where id = ?", sessionId);
  }

  /** Ends every session of an account but {@code keep} (null: all of them). */
  public void closeAll(UUID accountId, UUID keep) {
    update(
        "delete from user_session where account_id = ? and id <> ?",
        accountId,
        keep == null ? new UUID(0, 0) : keep);
  }

  @Scheduled(every = "1h", delayed = "1m")
  void forgetEnded() {
    Instant now = Instant.now();
    update(
        "delete from user_session where created_at < ? or last_seen_at < ?",
        at(now.minus(settings.absoluteLifetime())),
        at(now.minus(settings.idleTimeout())));
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private void update(String sql, Object... parameters) {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, sql, parameters);
    } catch (SQLException e) {
      throw new IllegalStateException("session update failed", e);
    }
  }

  private static void execute(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      statement.executeUpdate();
    }
  }
}
