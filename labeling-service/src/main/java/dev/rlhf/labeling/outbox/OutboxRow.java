package dev.rlhf.labeling.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** An outbox row on its way to Kafka, and the relay's statements on them (each commits alone). */
record OutboxRow(
    long id, UUID eventId, String topic, String key, String eventType, String payload) {

  static List<OutboxRow> unsent(Connection connection, int limit) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "select id, event_id, topic, aggregate_key, event_type, payload::text"
                + " from outbox_event where published_at is null and parked_at is null"
                + " order by id limit ?")) {
      query.setInt(1, limit);
      List<OutboxRow> rows = new ArrayList<>();
      try (ResultSet r = query.executeQuery()) {
        while (r.next()) {
          rows.add(
              new OutboxRow(
                  r.getLong(1),
                  r.getObject(2, UUID.class),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6)));
        }
      }
      return rows;
    }
  }

  static void markSent(Connection connection, List<Long> ids) throws SQLException {
    if (ids.isEmpty()) return;
    try (PreparedStatement update =
        connection.prepareStatement(
            "update outbox_event set published_at = now() where id = any(?)")) {
      update.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
      update.executeUpdate();
    }
  }

  static void park(Connection connection, long id, String reason) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "update outbox_event set parked_at = now(), park_reason = ? where id = ?")) {
      update.setString(1, reason);
      update.setLong(2, id);
      update.executeUpdate();
    }
  }
}
