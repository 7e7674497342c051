package dev.rlhf.labeling.arena;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions ranked by Bradley-Terry score over every vote on a comparison task whose two
 * completions come from different policy versions (arena matches and hand-made comparisons alike).
 */
@ApplicationScoped
public class Leaderboard {

  /** A version's place: Elo-scale score, its 95% bootstrap interval, and its record. */
  public record Entry(
      int rank,
      String version,
      double score,
      double lower,
      double upper,
      int games,
      int wins,
      int losses,
      int ties) {}

  private static final int RESAMPLES = 300;
  private static final long SEED = 20_240_601L;

  private static final String VOTES =
      "select ca.policy_version, cb.policy_version, ea.rank, eb.rank"
          + " from ranking r join task t on t.id = r.task_id and t.type = 'COMPARISON'"
          + " join ranking_entry ea on ea.ranking_id = r.id"
          + " join ranking_entry eb on eb.ranking_id = r.id and eb.completion_id > ea.completion_id"
          + " join completion ca on ca.id = ea.completion_id"
          + " join completion cb on cb.id = eb.completion_id"
          + " where ca.policy_version <> cb.policy_version order by r.created_at, r.id";

  private final AgroalDataSource dataSource;

  Leaderboard(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Entry> current() {
    Map<String, Integer> index = new LinkedHashMap<>();
    List<BradleyTerry.Game> games = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(VOTES);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        int a = index.computeIfAbsent(rs.getString(1), v -> index.size());
        int b = index.computeIfAbsent(rs.getString(2), v -> index.size());
        int rankA = rs.getInt(3);
        int rankB = rs.getInt(4);
        games.add(new BradleyTerry.Game(a, b, rankA < rankB ? 1 : rankA > rankB ? 0 : 0.5));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the arena votes", e);
    }
    BradleyTerry.Rating[] ratings = BradleyTerry.rate(index.size(), games, RESAMPLES, SEED);
    int[][] record = new int[index.size()][3];
    for (BradleyTerry.Game g : games) {
      int outcome = g.scoreA() == 1 ? 0 : g.scoreA() == 0 ? 1 : 2;
      record[g.a()][outcome]++;
      record[g.b()][outcome == 2 ? 2 : 1 - outcome]++;
    }
    List<Entry> entries = new ArrayList<>();
    index.forEach(
        (version, i) -> {
          int[] r = record[i];
          entries.add(
              new Entry(
                  0,
                  version,
                  round(ratings[i].score()),
                  round(ratings[i].lower()),
                  round(ratings[i].upper()),
                  r[0] + r[1] + r[2],
                  r[0],
                  r[1],
                  r[2]));
        });
    entries.sort(Comparator.comparingDouble(Entry::score).reversed());
    List<Entry> ranked = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      ranked.add(
          new Entry(
              i + 1,
              e.version(),
              e.score(),
              e.lower(),
              e.upper(),
              e.games(),
              e.wins(),
              e.losses(),
              e.ties()));
    }
    return ranked;
  }

  private static double round(double score) {
    return Math.round(score * 10) / 10.0;
  }
}
