package dev.rlhf.labeling.security;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an account for sign-in with plain JDBC: identity providers run on a worker thread outside
 * any request's persistence context, and this keeps them free of one.
 */
@ApplicationScoped
public class AccountLookup {

  /** What sign-in needs to know about an account. */
  public record StoredAccount(
      UUID id, String username, String passwordHash, String roles, boolean active) {}

  private final AgroalDataSource dataSource;

  AccountLookup(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<StoredAccount> find(String username) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "select id, username, password_hash, roles, active from app_user where username = ?")) {
      query.setString(1, username);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) return Optional.empty();
        return Optional.of(
            new StoredAccount(
                row.getObject(1, UUID.class),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getBoolean(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("account lookup failed", e);
    }
  }
}
