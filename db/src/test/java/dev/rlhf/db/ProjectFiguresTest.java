package dev.rlhf.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The figures the triggers of V83 keep equal what refresh_project_figures recounts from the rows,
 * after every kind of change SQL can make: inserts, rolled-back inserts, edits and deletions of
 * labels, ratings replaced, tasks leased, expired, completed and cancelled, and two transactions
 * ranking one task.
 */
class ProjectFiguresTest {

  private static EmbeddedDatabase database;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.startForTests();
    Flyway.configure()
        .dataSource(database.jdbcUrl(), database.user(), database.password())
        .load()
        .migrate();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void shouldCountLabelsTasksAndAgreementAsARecountDoes() throws Exception {
    try (Connection c = connect()) {
      World w = new World(c);
      UUID project = w.project();
      List<UUID> users = List.of(w.user(), w.user(), w.user());
      w.prompt(project);
      Task agreed = w.rankingTask(project, 3);
      Task disputed = w.rankingTask(project, 3);
      Task demo = w.demonstrationTask(project);
      assertKept(c, project);
      assertThat(
              figure(
                  c,
                  "select sum(prompts) from project_daily_figures where project_id = ?",
                  project))
          .isEqualTo(4);
      assertThat(queue(c, project)).containsExactly("DEMONSTRATION 1 1", "RANKING 2 6");

      w.rank(agreed, users.get(0), 1, 2, 3);
      w.rank(agreed, users.get(1), 1, 2, 3);
      w.rank(disputed, users.get(0), 1, 2, 3);
      w.rank(disputed, users.get(1), 3, 2, 1);
      w.rank(disputed, users.get(2), 1, 1, 2);
      UUID answer = w.lease(demo, users.get(2));
      w.demonstrate(demo, answer, users.get(2));
      assertKept(c, project);
      assertThat(
              figure(
                  c,
                  "select sum(rankings) from project_daily_figures where project_id = ?",
                  project))
          .isEqualTo(5);
      assertThat(
              figure(
                  c,
                  "select sum(tasks) from project_agreement_figures where project_id = ?",
                  project))
          .isEqualTo(2);
      // Agreed: 1.0. Disputed: rankings 1-2 agree on no pair, 1-3 on 2 of 3, 2-3 on 0 of 3.
      assertThat(
              figure(
                  c,
                  "select round(sum(agreement_sum) / sum(tasks), 6) * 1000000"
                      + " from project_agreement_figures where project_id = ?",
                  project))
          .isEqualTo(Math.round((1.0 + 2.0 / 9) / 2 * 1_000_000));
      assertThat(queue(c, project)).containsExactly("RANKING 1 1");

      // A lease that expires frees its slot; a cancelled task leaves the queue.
      UUID lapsed = w.lease(agreed, users.get(2));
      assertThat(queue(c, project)).containsExactly("RANKING 1 0");
      w.exec("update assignment set state = 'EXPIRED' where id = ?", lapsed);
      w.exec("update task set slots_taken = slots_taken - 1 where id = ?", agreed.id());
      w.exec("update task set state = 'CANCELLED' where id = ?", agreed.id());
      assertThat(queue(c, project)).isEmpty();
      assertKept(c, project);
    }
  }

  @Test
  void shouldCountNothingOfARolledBackSubmission() throws Exception {
    try (Connection c = connect()) {
      World w = new World(c);
      UUID project = w.project();
      Task task = w.rankingTask(project, 2);
      w.rank(task, w.user(), 1, 2);
      List<String> before = kept(c, project);
      c.setAutoCommit(false);
      w.rankUncommitted(task, w.user(), 2, 1);
      c.rollback();
      c.setAutoCommit(true);
      assertThat(kept(c, project)).isEqualTo(before);
      assertKept(c, project);
    }
  }

  @Test
  void shouldFollowEditsAndDeletionsOfLabelsAndRatings() throws Exception {
    try (Connection c = connect()) {
      World w = new World(c);
      UUID project = w.project();
      List<UUID> users = List.of(w.user(), w.user(), w.user());
      Task task = w.rankingTask(project, 3);
      UUID first = w.rank(task, users.get(0), 1, 2, 3);
      UUID second = w.rank(task, users.get(1), 1, 3, 2);
      UUID third = w.rank(task, users.get(2), 1, 2, 3);
      UUID assignment = w.assignmentOf(first);
      w.rate(assignment, task.completions().get(0), "[\"HARMFUL\", \"PII\"]");
      w.rate(assignment, task.completions().get(1), "[\"PII\"]");
      assertKept(c, project);

      // A rating replaced (the service deletes and inserts), then edited in place.
      w.exec(
          "delete from completion_rating where assignment_id = ? and completion_id = ?",
          assignment,
          task.completions().get(0));
      w.rate(assignment, task.completions().get(0), "[\"REFUSAL\"]");
      w.exec(
          "update completion_rating set flags = '[]' where completion_id = ?",
          task.completions().get(1));
      assertKept(c, project);
      assertThat(flags(c, project)).containsExactly("REFUSAL 1");

      // A rank changed in place, a ranking's pairs and day changed, a ranking deleted.
      w.exec(
          "update ranking_entry set rank = 3 where ranking_id = ? and completion_id = ?",
          second,
          task.completions().get(0));
      assertKept(c, project);
      w.exec(
          "update ranking set informative_pairs = 1, created_at = created_at - interval '3 days'"
              + " where id = ?",
          third);
      assertKept(c, project);
      w.exec("delete from ranking_entry where ranking_id = ?", third);
      w.exec("delete from ranking where id = ?", third);
      assertKept(c, project);
      w.exec("delete from ranking_entry where ranking_id = ?", second);
      w.exec("delete from ranking where id = ?", second);
      assertKept(c, project);
      assertThat(
              figure(
                  c,
                  "select sum(tasks) from project_agreement_figures where project_id = ?",
                  project))
          .isZero();
      assertThat(
              figure(c, "select count(*) from ranking_task_agreement where task_id = ?", task.id()))
          .isZero();

      // An assignment deleted: its contractor's activity is recounted.
      w.exec("delete from completion_rating where assignment_id = ?", assignment);
      w.exec("delete from ranking_entry where ranking_id = ?", first);
      w.exec("delete from ranking where id = ?", first);
      w.exec("delete from assignment where id = ?", assignment);
      assertKept(c, project);
      assertThat(
              figure(
                  c,
                  "select count(distinct contractor_id) from project_contractor_activity where project_id = ?",
                  project))
          .isEqualTo(2);
    }
  }

  @Test
  void shouldSeeTheOtherTransactionsRankingWhenTwoRankOneTask() throws Exception {
    try (Connection a = connect();
        Connection b = connect()) {
      World wa = new World(a);
      World wb = new World(b);
      UUID project = wa.project();
      Task task = wa.rankingTask(project, 3);
      wa.rank(task, wa.user(), 1, 2, 3);
      UUID second = wa.user();
      UUID third = wa.user();
      a.setAutoCommit(false);
      wa.rankUncommitted(task, second, 1, 2, 3);
      // The other submission waits for the task row, then recounts with this one committed.
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<UUID> later = other.submit(() -> wb.rank(task, third, 3, 2, 1));
        Thread.sleep(300);
        assertThat(later).isNotDone();
        a.commit();
        a.setAutoCommit(true);
        later.get(30, TimeUnit.SECONDS);
      } finally {
        other.shutdownNow();
      }
      // Figures folded while a submission is under way: it is counted once, when it commits.
      UUID fourth = wa.user();
      b.setAutoCommit(false);
      Task next = wb.rankingTask(project, 3);
      wb.rankUncommitted(next, fourth, 1, 2, 3);
      assertThat(figure(a, "select compact_project_figures()")).isPositive();
      b.commit();
      b.setAutoCommit(true);
      assertKept(a, project);
      assertThat(
              figure(
                  a,
                  "select sum(rankings) from project_daily_figures where project_id = ?",
                  project))
          .isEqualTo(4);
      assertKept(a, project);
      assertThat(
              figure(a, "select rankings from ranking_task_agreement where task_id = ?", task.id()))
          .isEqualTo(3);
    }
  }

  @Test
  void shouldRecountEveryProjectAfterABulkLoadWithoutTriggers() throws Exception {
    try (Connection c = connect()) {
      World w = new World(c);
      UUID project = w.project();
      w.exec("set session_replication_role = replica");
      Task task = w.rankingTask(project, 2);
      w.rank(task, w.user(), 1, 2);
      w.rank(task, w.user(), 1, 2);
      w.exec("set session_replication_role = origin");
      assertThat(
              figure(c, "select count(*) from project_daily_figures where project_id = ?", project))
          .isZero();
      w.exec("select refresh_project_figures(?)", project);
      assertKept(c, project);
      assertThat(
              figure(
                  c,
                  "select sum(rankings) from project_daily_figures where project_id = ?",
                  project))
          .isEqualTo(2);
      assertThat(
              figure(
                  c,
                  "select sum(tasks) from project_agreement_figures where project_id = ?",
                  project))
          .isEqualTo(1);
    }
  }

  /**
   * The maintained figures equal a recount, folded or not, and the kept agreement rows the recount
   * function's.
   */
  private static void assertKept(Connection c, UUID project) throws SQLException {
    List<String> kept = kept(c, project);
    c.setAutoCommit(false);
    try (PreparedStatement refresh = c.prepareStatement("select refresh_project_figures(?)")) {
      rows(c, "select compact_project_figures()");
      assertThat(kept(c, project)).isEqualTo(kept);
      assertThat(
              rows(
                  c,
                  "select count(*) from project_daily_figures where project_id = ?"
                      + " group by day having count(*) > 1",
                  project))
          .isEmpty();
      refresh.setObject(1, project);
      refresh.execute();
      assertThat(kept).isEqualTo(kept(c, project));
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
    assertThat(
            rows(
                c,
                "select task_id || ' ' || agreement || ' ' || rankings from task_ranking_agreement"
                    + " where project_id = ? order by 1",
                project))
        .isEqualTo(
            rows(
                c,
                "select task_id || ' ' || agreement || ' ' || rankings"
                    + " from ranking_task_agreement_of(?) order by 1",
                project));
  }

  /** Every maintained figure of a project, shards summed, zeros left out. */
  private static List<String> kept(Connection c, UUID project) throws SQLException {
    List<String> all = new ArrayList<>();
    all.addAll(
        rows(
            c,
            "select 'day ' || day || ' ' || sum(prompts) || ' ' || sum(demonstrations) || ' '"
                + " || sum(rankings) || ' ' || sum(informative_pairs) || ' ' || sum(ratings)"
                + " from project_daily_figures where project_id = ? group by day"
                + " having (sum(prompts), sum(demonstrations), sum(rankings), sum(informative_pairs),"
                + " sum(ratings)) <> (0, 0, 0, 0, 0) order by day",
            project));
    all.addAll(flags(c, project));
    all.addAll(queue(c, project));
    all.addAll(
        rows(
            c,
            "select 'agreement ' || sum(tasks) || ' ' || sum(agreement_sum)"
                + " from project_agreement_figures where project_id = ? having sum(tasks) <> 0",
            project));
    all.addAll(
        rows(
            c,
            "select 'active ' || contractor_id || ' ' || max(last_leased_at)"
                + " from project_contractor_activity where project_id = ? group by contractor_id"
                + " order by contractor_id",
            project));
    return all;
  }

  private static List<String> queue(Connection c, UUID project) throws SQLException {
    return rows(
        c,
        "select type || ' ' || sum(open_tasks) || ' ' || sum(open_slots) from project_queue_figures"
            + " where project_id = ? group by type having (sum(open_tasks), sum(open_slots))"
            + " <> (0, 0) order by type",
        project);
  }

  private static List<String> flags(Connection c, UUID project) throws SQLException {
    return rows(
        c,
        "select flag || ' ' || sum(ratings) from project_flag_figures where project_id = ?"
            + " group by flag having sum(ratings) <> 0 order by flag",
        project);
  }

  private static List<String> rows(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
      List<String> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) rows.add(r.getString(1));
      }
      return rows;
    }
  }

  private static long figure(Connection c, String sql, Object... args) throws SQLException {
    List<String> rows = rows(c, sql, args);
    return rows.isEmpty() || rows.get(0) == null ? 0 : Math.round(Double.parseDouble(rows.get(0)));
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  record Task(UUID id, UUID promptId, List<UUID> completions) {}

  /** Rows written the way the labeling service writes them, in plain SQL. */
  private static final class World {
    private final Connection c;

    World(Connection c) {
      this.c = c;
    }

    UUID user() throws SQLException {
      UUID id = UUID.randomUUID();
      exec(
          "insert into app_user (id, username, password_hash, roles) values (?, ?, 'x', 'contractor')",
          id,
          "u-" + id);
      return id;
    }

    UUID project() throws SQLException {
      UUID id = UUID.randomUUID();
      exec(
          "insert into project (id, name, demonstration_overlap, ranking_overlap)"
              + " values (?, ?, 1, 3)",
          id,
          "p-" + id);
      return id;
    }

    UUID prompt(UUID project) throws SQLException {
      UUID id = UUID.randomUUID();
      exec(
          "insert into prompt (id, project_id, conversation, source)"
              + " values (?, ?, '[{\"role\":\"USER\",\"text\":\"Why?\"}]', 'test')",
          id,
          project);
      return id;
    }

    Task rankingTask(UUID project, int completions) throws SQLException {
      UUID prompt = prompt(project);
      UUID task = UUID.randomUUID();
      exec(
          "insert into task (id, project_id, prompt_id, type, state, answers_wanted)"
              + " values (?, ?, ?, 'RANKING', 'OPEN', 3)",
          task,
          project,
          prompt);
      List<UUID> ids = new ArrayList<>();
      for (int k = 0; k < completions; k++) {
        UUID id = UUID.randomUUID();
        exec(
            "insert into completion (id, prompt_id, text, policy_version, sampling)"
                + " values (?, ?, ?, 'v1', '{}')",
            id,
            prompt,
            "completion " + k);
        exec("insert into task_completion values (?, ?, ?)", task, id, k);
        ids.add(id);
      }
      return new Task(task, prompt, ids);
    }

    Task demonstrationTask(UUID project) throws SQLException {
      UUID prompt = prompt(project);
      UUID task = UUID.randomUUID();
      exec(
          "insert into task (id, project_id, prompt_id, type, state, answers_wanted)"
              + " values (?, ?, ?, 'DEMONSTRATION', 'OPEN', 1)",
          task,
          project,
          prompt);
      return new Task(task, prompt, List.of());
    }

    UUID lease(Task task, UUID contractor) throws SQLException {
      UUID id = UUID.randomUUID();
      exec(
          "insert into assignment (id, task_id, contractor_id, state, guideline_version,"
              + " leased_at, lease_expires_at) values (?, ?, ?, 'ACTIVE', 1, now(),"
              + " now() + interval '1 hour')",
          id,
          task.id(),
          contractor);
      exec("update task set slots_taken = slots_taken + 1 where id = ?", task.id());
      return id;
    }

    /** Leases and ranks in one transaction of its own; ranks[i] is completion i's rank. */
    UUID rank(Task task, UUID contractor, int... ranks) throws SQLException {
      c.setAutoCommit(false);
      try {
        UUID id = rankUncommitted(task, contractor, ranks);
        c.commit();
        return id;
      } finally {
        c.setAutoCommit(true);
      }
    }

    UUID rankUncommitted(Task task, UUID contractor, int... ranks) throws SQLException {
      UUID assignment = lease(task, contractor);
      UUID id = UUID.randomUUID();
      exec(
          "insert into ranking (id, assignment_id, task_id, project_id, prompt_id, contractor_id,"
              + " all_bad, time_spent_ms, guideline_version, informative_pairs)"
              + " select ?, ?, t.id, t.project_id, t.prompt_id, ?, false, 1000, 1, ?"
              + " from task t where t.id = ?",
          id,
          assignment,
          contractor,
          ranks.length,
          task.id());
      for (int k = 0; k < ranks.length; k++) {
        exec("insert into ranking_entry values (?, ?, ?)", id, task.completions().get(k), ranks[k]);
      }
      exec(
          "update assignment set state = 'SUBMITTED', finished_at = now() where id = ?",
          assignment);
      exec(
          "update task set answers_done = answers_done + 1, state = case when answers_done + 1"
              + " >= answers_wanted then 'COMPLETE' else state end where id = ?",
          task.id());
      return id;
    }

    void demonstrate(Task task, UUID assignment, UUID contractor) throws SQLException {
      exec(
          "insert into demonstration (id, assignment_id, task_id, project_id, prompt_id,"
              + " contractor_id, response, time_spent_ms, guideline_version)"
              + " select gen_random_uuid(), ?, t.id, t.project_id, t.prompt_id, ?, 'Because.',"
              + " 1000, 1 from task t where t.id = ?",
          assignment,
          contractor,
          task.id());
      exec("update task set answers_done = 1, state = 'COMPLETE' where id = ?", task.id());
    }

    void rate(UUID assignment, UUID completion, String flags) throws SQLException {
      exec(
          "insert into completion_rating (id, assignment_id, completion_id, contractor_id,"
              + " helpful, flags) select gen_random_uuid(), a.id, ?, a.contractor_id, 4,"
              + " ?::jsonb from assignment a where a.id = ?",
          completion,
          flags,
          assignment);
    }

    UUID assignmentOf(UUID ranking) throws SQLException {
      return UUID.fromString(
          rows(c, "select assignment_id::text from ranking where id = ?", ranking).get(0));
    }

    void exec(String sql, Object... args) throws SQLException {
      if (args.length == 0) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
        return;
      }
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
        s.execute();
      }
    }
  }
}
