package dev.rlhf.labeling.bench;

import dev.rlhf.db.EmbeddedDatabase;
import dev.rlhf.labeling.StatisticsRecount;
import dev.rlhf.labeling.service.StatisticsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * The dashboard statistics of generated projects ({@link ScaleSeed}) read from the kept figures
 * (V83) against the recount the service ran before ({@link StatisticsRecount}), the recount of the
 * figures (refresh_project_figures, the migration's backfill), and what the triggers cost a ranking
 * submission (the service's statements in plain SQL, with V83's triggers enabled and disabled in
 * alternating rounds). SQL through JDBC on one connection, no HTTP. Prints one table; not a test.
 * Sizes: -Dbench.small=10000 -Dbench.large=100000 -Dbench.repeats=3 -Dbench.submissions=2000;
 * -Dbench.triggers=REGEX toggles only the triggers whose names match.
 */
public final class StatisticsBenchmark {

  static final int SMALL = Integer.getInteger("bench.small", 10_000);
  static final int LARGE = Integer.getInteger("bench.large", 100_000);
  static final int REPEATS = Integer.getInteger("bench.repeats", 3);
  static final int SUBMISSIONS = Integer.getInteger("bench.submissions", 2_000);

  private static final List<String[]> TABLE = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    System.out.println("load average at start: " + loadAverage());
    try (EmbeddedDatabase db = EmbeddedDatabase.startForTests()) {
      Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).load().migrate();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        ScaleSeed seed = new ScaleSeed(c);
        List<String> labelers = seed.contractors("labeler", 10);
        ScaleSeed.Made small = seed.project("small", SMALL, labelers);
        System.out.printf(
            "generated %,d tasks in %d s (load %s)%n", SMALL, small.seconds(), loadAverage());
        ScaleSeed.Made large = seed.project("large", LARGE, labelers);
        System.out.printf(
            "generated %,d tasks in %d s (load %s)%n", LARGE, large.seconds(), loadAverage());
        String[][] rows = new String[4][2];
        ScaleSeed.Made[] projects = {small, large};
        for (int i = 0; i < 2; i++) {
          UUID p = projects[i].projectId();
          StatisticsService.DatasetStatistics kept = StatisticsService.of(c, p);
          StatisticsService.DatasetStatistics recounted = StatisticsRecount.of(c, p);
          if (!kept.equals(recounted)) {
            throw new IllegalStateException("kept " + kept + " <> recounted " + recounted);
          }
          rows[0][i] = times(REPEATS, () -> StatisticsRecount.of(c, p));
          rows[1][i] = times(REPEATS * 3, () -> StatisticsService.of(c, p));
          rows[2][i] = times(REPEATS, () -> agreementRecount(c, p));
          rows[3][i] = times(1, () -> exec(c, "select refresh_project_figures('" + p + "')"));
          System.out.printf(
              "%,d tasks: recounted %s, kept %s, agreement recount %s, refresh %s (load %s)%n",
              projects[i].tasks(), rows[0][i], rows[1][i], rows[2][i], rows[3][i], loadAverage());
        }
        put("statistics, recounted (before: the 7 queries of the old service)", rows[0]);
        put("statistics, read from the kept figures (after)", rows[1]);
        put("  of which before: ranking agreement recount (ranking_task_agreement_of)", rows[2]);
        put("recount of all figures (refresh_project_figures: the backfill)", rows[3]);
        submissions(c, large.projectId());
        if (!StatisticsService.of(c, large.projectId())
            .equals(StatisticsRecount.of(c, large.projectId()))) {
          throw new IllegalStateException("figures differ from the recount after the submissions");
        }
      }
    }
    System.out.println();
    System.out.printf("| | %,d tasks | %,d tasks |%n", SMALL, LARGE);
    System.out.println("|---|---|---|");
    for (String[] row : TABLE) System.out.println("| " + String.join(" | ", row) + " |");
    System.out.println("load average at end: " + loadAverage());
  }

  /**
   * Ranking submissions as the service writes them (lease: assignment and task slot; submission:
   * ranking, 3 entries, assignment and task), one transaction each, on the large project's open
   * tasks: rounds with V83's triggers and without alternate, so drift in the machine's load falls
   * on both.
   */
  private static void submissions(Connection c, UUID project) throws Exception {
    exec(
        c,
        "insert into app_user (id, username, password_hash, roles) values (gen_random_uuid(),"
            + " 'bench-ranker', 'x', 'contractor')");
    List<UUID> tasks = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select id from task where project_id = ? and state = 'OPEN' and type = 'RANKING'"
                + " and slots_taken < answers_wanted order by id limit ?")) {
      s.setObject(1, project);
      s.setInt(2, SUBMISSIONS);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) tasks.add(r.getObject(1, UUID.class));
      }
    }
    List<String> triggers = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select format('%s %I', tgrelid::regclass, tgname) from pg_trigger"
                    + " where not tgisinternal and (tgname like 'keep\\_%'"
                    + " or tgname like 'recount\\_agreement%' or tgname = 'move_task_agreement')")) {
      while (r.next()) triggers.add(r.getString(1));
    }
    // -Dbench.triggers=REGEX toggles only the matching ones: what each costs.
    String only = System.getProperty("bench.triggers", ".*");
    triggers.removeIf(t -> !t.split(" ", 2)[1].matches(only));
    int rounds = 8;
    int per = tasks.size() / rounds;
    long[] nanos = new long[2];
    int[] count = new int[2];
    for (int round = 0; round < rounds; round++) {
      boolean on = round % 2 == 0;
      for (String t : triggers) {
        String[] tableAndName = t.split(" ", 2);
        exec(
            c,
            "alter table "
                + tableAndName[0]
                + (on ? " enable" : " disable")
                + " trigger "
                + tableAndName[1]);
      }
      long t0 = System.nanoTime();
      for (UUID task : tasks.subList(round * per, (round + 1) * per)) submit(c, task);
      nanos[on ? 0 : 1] += System.nanoTime() - t0;
      count[on ? 0 : 1] += per;
    }
    for (String t : triggers) {
      String[] tableAndName = t.split(" ", 2);
      exec(c, "alter table " + tableAndName[0] + " enable trigger " + tableAndName[1]);
    }
    String unfolded = times(REPEATS * 3, () -> StatisticsService.of(c, project));
    String compaction = times(1, () -> exec(c, "select compact_project_figures()"));
    String folded = times(REPEATS * 3, () -> StatisticsService.of(c, project));
    TABLE.add(
        new String[] {
          "statistics after those submissions: unfolded / folded (compaction took "
              + compaction
              + ")",
          "",
          unfolded + " / " + folded
        });
    // The rounds without triggers counted nothing: recount, for the check against the old queries.
    exec(c, "select refresh_project_figures('" + project + "')");
    double with = nanos[0] / 1e6 / count[0];
    double without = nanos[1] / 1e6 / count[1];
    TABLE.add(
        new String[] {
          "ranking submission (lease + submit, 2 transactions), V83 triggers on / off"
              + (only.equals(".*") ? "" : " (" + only + ")"),
          "",
          String.format(
              "%.2f / %.2f ms (%+.0f%%, %d submissions each)",
              with, without, 100 * (with / without - 1), count[0])
        });
    System.out.println(String.join(" | ", TABLE.get(TABLE.size() - 1)));
    System.out.println(String.join(" | ", TABLE.get(TABLE.size() - 2)));
  }

  private static void submit(Connection c, UUID task) throws SQLException {
    c.setAutoCommit(false);
    UUID assignment = UUID.randomUUID();
    update(
        c,
        "insert into assignment (id, task_id, contractor_id, state, guideline_version, leased_at,"
            + " lease_expires_at) select ?, ?, id, 'ACTIVE', 1, now(), now() + interval '1 hour'"
            + " from app_user where username = 'bench-ranker'",
        assignment,
        task);
    update(c, "update task set slots_taken = slots_taken + 1 where id = ?", task);
    c.commit();
    UUID ranking = UUID.randomUUID();
    update(
        c,
        "insert into ranking (id, assignment_id, task_id, project_id, prompt_id, contractor_id,"
            + " all_bad, time_spent_ms, guideline_version, informative_pairs)"
            + " select ?, a.id, t.id, t.project_id, t.prompt_id, a.contractor_id, false, 1000, 1,"
            + " 3 from assignment a join task t on t.id = a.task_id where a.id = ?",
        ranking,
        assignment);
    update(
        c,
        "insert into ranking_entry (ranking_id, completion_id, rank)"
            + " select ?, tc.completion_id, 3 - tc.position from task_completion tc"
            + " where tc.task_id = ?",
        ranking,
        task);
    update(
        c,
        "update assignment set state = 'SUBMITTED', finished_at = now() where id = ?",
        assignment);
    update(
        c,
        "update task set answers_done = answers_done + 1, state = case when answers_done + 1 >="
            + " answers_wanted then 'COMPLETE' else state end where id = ?",
        task);
    c.commit();
    c.setAutoCommit(true);
  }

  private static void agreementRecount(Connection c, UUID project) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select avg(agreement), count(*) from ranking_task_agreement_of(?)")) {
      s.setObject(1, project);
      s.executeQuery().close();
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  /** Median and max of n runs, in ms. */
  private static String times(int n, Work work) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return n == 1
        ? format(ms[0])
        : format(ms[n / 2]) + " (max " + format(ms[n - 1]) + ", " + n + " runs)";
  }

  private static String format(double ms) {
    return ms >= 1000 ? String.format("%.1f s", ms / 1000) : String.format("%.1f ms", ms);
  }

  private static void put(String name, String[] values) {
    TABLE.add(new String[] {name, values[0], values[1]});
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
      s.executeUpdate();
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
