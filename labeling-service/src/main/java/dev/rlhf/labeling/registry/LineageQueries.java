package dev.rlhf.labeling.registry;

import dev.rlhf.labeling.service.ApiProblem;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lineage in both directions. A version's lineage edges are its parent and, for PPO, the reward
 * model it was trained against: labels reach a PPO policy through both.
 */
@ApplicationScoped
public class LineageQueries {

  /** A version a label influenced; direct when the version was trained on the label itself. */
  public record InfluencedVersion(String version, String kind, String stage, boolean direct) {}

  /**
   * How many labels of each type a version was trained on directly, and how many of those were
   * rejected or corrected by a review after it trained on them (the version keeps its lineage).
   */
  public record LabelCounts(
      long demonstrations, long rankings, long laterRejected, long laterCorrected) {}

  private static final String ANCESTRY =
      "with recursive ancestry(version) as ("
          + " select cast(? as text)"
          + " union"
          + " select x.v from ancestry a join model_version m on m.version = a.version"
          + " cross join lateral (values (m.parent_version), (m.reward_version)) x(v)"
          + " where x.v is not null) ";

  private final AgroalDataSource dataSource;

  LineageQueries(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The labels that made a version: its own and those of every ancestor, each listed once. */
  public List<LabelEvent> labelsOf(String version, int limit, int offset) {
    checkPage(limit, offset);
    String sql =
        ANCESTRY
            + "select distinct on (l.event_id) l.event_id, "
            + LabelEvent.COLUMNS
            + ", l.version from ancestry a join model_version_label l on l.version = a.version"
            + " left join outbox_event o on o.event_id = l.event_id"
            + " order by l.event_id, l.version limit ? offset ?";
    List<LabelEvent> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, version);
      s.setInt(2, limit);
      s.setInt(3, offset);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(LabelEvent.read(rs));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list the labels of " + version, e);
    }
    return out;
  }

  /** Every version a label went into, directly or through a parent or reward model. */
  public List<InfluencedVersion> versionsInfluencedBy(UUID eventId) {
    String sql =
        "with recursive influenced(version, direct) as ("
            + " select version, true from model_version_label where event_id = ?"
            + " union"
            + " select m.version, false from influenced i join model_version m"
            + " on m.parent_version = i.version or m.reward_version = i.version)"
            + " select m.version, m.kind, m.stage, bool_or(i.direct)"
            + " from influenced i join model_version m on m.version = i.version"
            + " group by m.version, m.kind, m.stage, m.published_at order by m.published_at, m.version";
    List<InfluencedVersion> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      if (!labelExists(c, eventId)) throw ApiProblem.notFound("label event " + eventId);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setObject(1, eventId);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(
                new InfluencedVersion(
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not trace label " + eventId, e);
    }
    return out;
  }

  /**
   * The projects whose labels made a version, through its lineage as {@link #labelsOf} follows it,
   * in the order they were created.
   */
  public List<UUID> projectsOf(String version) {
    String sql =
        ANCESTRY
            + "select p.id from project p where p.id in ("
            + " select cast(o.payload->>'projectId' as uuid)"
            + " from ancestry a join model_version_label l on l.version = a.version"
            + " join outbox_event o on o.event_id = l.event_id"
            + " where o.payload->>'projectId' is not null)"
            + " order by p.created_at, p.id";
    List<UUID> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, version);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(rs.getObject(1, UUID.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not find the projects behind " + version, e);
    }
    return out;
  }

  /** Direct label counts of every version, by version name. */
  public Map<String, LabelCounts> directCounts() {
    String sql =
        "select l.version,"
            + " count(*) filter (where o.event_type = 'DemonstrationSubmitted'),"
            + " count(*) filter (where o.event_type = 'RankingSubmitted'),"
            + " count(*) filter (where v.outcome = 'REJECTED'),"
            // Trained on the original of a label corrected since (not on the correction itself).
            + " count(*) filter (where v.outcome = 'CORRECTED'"
            + "   and v.correction_event_id <> l.event_id)"
            + " from model_version_label l left join outbox_event o on o.event_id = l.event_id"
            + " left join label_review v on v.label_id ="
            + " (coalesce(o.payload ->> 'demonstrationId', o.payload ->> 'rankingId'))::uuid"
            + " group by l.version";
    Map<String, LabelCounts> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getString(1),
            new LabelCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not count version labels", e);
    }
    return out;
  }

  private static boolean labelExists(Connection c, UUID eventId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select 1 from outbox_event where event_id = ? union all"
                + " select 1 from model_version_label where event_id = ? limit 1")) {
      s.setObject(1, eventId);
      s.setObject(2, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static void checkPage(int limit, int offset) {
    if (limit < 1 || limit > 10_000 || offset < 0) {
      throw ApiProblem.invalid("limit", "limit 1..10000 and offset >= 0");
    }
  }
}
