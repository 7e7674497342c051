package dev.rlhf.labeling.cycles;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rlhf.events.EventCodec;
import dev.rlhf.labeling.registry.LabelEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a cycle's progress rows and snapshot labels with plain JDBC, so the live stream can poll
 * from any thread without a request or transaction context.
 */
@ApplicationScoped
public class ProgressQueries {

  /** One progress report; samples are untrusted model output. */
  public record ProgressPoint(
      long id,
      UUID runId,
      String stage,
      long step,
      long totalSteps,
      Map<String, Double> metrics,
      List<String> samples,
      Instant reportedAt) {}

  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
  private static final TypeReference<List<String>> SAMPLES = new TypeReference<>() {};

  private final AgroalDataSource dataSource;

  ProgressQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The cycle's progress after row {@code afterId}, oldest first, at most {@code limit}. */
  public List<ProgressPoint> after(UUID cycleId, long afterId, int limit) {
    String sql =
        "select id, run_id, stage, step, total_steps, metrics::text, samples::text, reported_at"
            + " from training_progress where cycle_id = ? and id > ? order by id limit ?";
    List<ProgressPoint> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, cycleId);
      s.setLong(2, afterId);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ProgressPoint(
                  rs.getLong(1),
                  rs.getObject(2, UUID.class),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  EventCodec.mapper().readValue(rs.getString(6), METRICS),
                  EventCodec.mapper().readValue(rs.getString(7), SAMPLES),
                  rs.getTimestamp(8).toInstant()));
        }
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("could not read the progress of cycle " + cycleId, e);
    }
    return out;
  }

  /**
   * The labels frozen in the cycle's snapshot, oldest first (by when the label was made; an index
   * serves the page, V92).
   */
  public List<LabelEvent> snapshotLabels(UUID cycleId, int limit, int offset) {
    String sql =
        "select l.event_id, "
            + LabelEvent.COLUMNS
            + ", null from cycle_snapshot_label l left join outbox_event o on o.event_id = l.event_id"
            + " where l.cycle_id = ? order by l.labelled_at nulls last, l.event_id limit ? offset ?";
    List<LabelEvent> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, cycleId);
      s.setInt(2, limit);
      s.setInt(3, offset);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(LabelEvent.read(rs));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the snapshot of cycle " + cycleId, e);
    }
    return out;
  }

  /** A fingerprint of the cycle's and its runs' states, to tell the stream when they change. */
  public String stateFingerprint(UUID cycleId) {
    String sql =
        "select c.state || ':' || coalesce(string_agg(r.state || '/' || coalesce(r.produced_version, ''),"
            + " ',' order by r.position), '') from training_cycle c"
            + " left join training_run r on r.cycle_id = c.id where c.id = ? group by c.state";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, cycleId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read cycle " + cycleId, e);
    }
  }
}
