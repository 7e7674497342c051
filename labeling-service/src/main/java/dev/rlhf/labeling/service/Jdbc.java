package dev.rlhf.labeling.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** Binds positional parameters for the reporting queries, which are built from filters. */
final class Jdbc {

  private Jdbc() {}

  static PreparedStatement prepare(Connection connection, String sql, List<Object> params)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      if (value instanceof UUID uuid) statement.setObject(i + 1, uuid);
      else statement.setObject(i + 1, value);
    }
    return statement;
  }
}
