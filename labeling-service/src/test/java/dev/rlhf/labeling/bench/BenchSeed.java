package dev.rlhf.labeling.bench;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fills the database with set-based SQL: contractors, one project, prompts, ranking tasks of 3
 * completions each with an active assignment per task (for the submission runs), and open tasks for
 * the next-task run.
 */
final class BenchSeed implements AutoCloseable {

  static final String PASSWORD = "bench-password";
  static final String COMPLETION =
      "The answer is 4. Two plus two makes four, because adding two to two counts up twice.";

  private final Connection connection;
  final UUID projectId = UUID.randomUUID();
  final UUID nextTaskProjectId = UUID.randomUUID();

  BenchSeed(String jdbcUrl, String user, String password) throws SQLException {
    connection = DriverManager.getConnection(jdbcUrl, user, password);
  }

  /** Creates contractors sharing one bcrypt hash (hashing 264 passwords would take minutes). */
  List<String> contractors(String prefix, int count) throws SQLException {
    String hash = BcryptUtil.bcryptHash(PASSWORD);
    List<String> names = new ArrayList<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into app_user (id, username, password_hash, roles, active)"
                + " values (gen_random_uuid(), ?, ?, 'contractor', true)")) {
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        insert.setString(1, name);
        insert.setString(2, hash);
        insert.addBatch();
        names.add(name);
      }
      insert.executeBatch();
    }
    return names;
  }

  void projects() throws SQLException {
    for (UUID id : List.of(projectId, nextTaskProjectId)) {
      exec(
          "insert into project (id, name, description, demonstration_overlap, ranking_overlap)"
              + " values ('"
              + id
              + "', 'bench "
              + id
              + "', '', 1, 3)");
      exec(
          "insert into guideline_version (id, project_id, version, markdown, created_by)"
              + " values (gen_random_uuid(), '"
              + id
              + "', 1, '# Rank by correctness', 'bench')");
      exec(
          "insert into prompt (id, project_id, conversation, source)"
              + " select gen_random_uuid(), '"
              + id
              + "',"
              + " '[{\"role\":\"USER\",\"text\":\"What is 2+2? Explain briefly.\"}]', 'bench'"
              + " from generate_series(1, 100)");
    }
  }

  /**
   * Ranking tasks (3 completions, overlap 1) each leased to one of the contractors, round robin,
   * for 2 hours. Rows are tagged with {@code side} in table bench_work, numbered from 1.
   */
  void leasedRankingTasks(String side, List<String> contractors, int count) throws SQLException {
    exec(
        "create table if not exists bench_work (n int, side text, aid uuid, tid uuid, pid uuid,"
            + " cid uuid, username text, c1 uuid, c2 uuid, c3 uuid)");
    Array names = connection.createArrayOf("text", contractors.toArray());
    try (PreparedStatement seed =
        connection.prepareStatement(
            "insert into bench_work"
                + " select g, ?, gen_random_uuid(), gen_random_uuid(), p.id, u.id, u.username,"
                + " gen_random_uuid(), gen_random_uuid(), gen_random_uuid()"
                + " from generate_series(1, ?) g"
                + " join lateral (select id from prompt where project_id = ?"
                + "   order by id offset (g % 100) limit 1) p on true"
                + " join app_user u on u.username = (?::text[])[1 + g % ?]")) {
      seed.setString(1, side);
      seed.setInt(2, count);
      seed.setObject(3, projectId);
      seed.setArray(4, names);
      seed.setInt(5, contractors.size());
      seed.executeUpdate();
    }
    String where = " from bench_work where side = '" + side + "'";
    String sampling =
        "'{\"temperature\":1.0,\"topP\":0.95,\"topK\":0,\"maxTokens\":96,\"stop\":[]}'";
    for (String c : List.of("c1", "c2", "c3")) {
      exec(
          "insert into completion (id, prompt_id, text, policy_version, sampling)"
              + " select "
              + c
              + ", pid, '"
              + COMPLETION
              + " ("
              + c
              + ")', 'bench-policy', "
              + sampling
              + where);
    }
    exec(
        "insert into task (id, project_id, prompt_id, type, state, answers_wanted, slots_taken)"
            + " select tid, '"
            + projectId
            + "', pid, 'RANKING', 'OPEN', 1, 1"
            + where);
    exec(
        "insert into task_completion select tid, c1, 0"
            + where
            + " union all select tid, c2, 1"
            + where
            + " union all select tid, c3, 2"
            + where);
    exec(
        "insert into assignment (id, task_id, contractor_id, state, guideline_version, leased_at,"
            + " lease_expires_at) select aid, tid, cid, 'ACTIVE', 1, now(),"
            + " now() + interval '2 hours'"
            + where);
    exec("create unique index if not exists bench_work_n on bench_work (side, n)");
    exec("create sequence if not exists bench_work_seq");
    exec("analyze");
  }

  /** Open ranking tasks wanting {@code overlap} answers each, for the next-task run. */
  void openTasks(int count, int overlap) throws SQLException {
    exec(
        "insert into task (id, project_id, prompt_id, type, state, answers_wanted)"
            + " select gen_random_uuid(), '"
            + nextTaskProjectId
            + "', p.id, 'DEMONSTRATION',"
            + " 'OPEN', "
            + overlap
            + " from generate_series(1, "
            + count
            + ") g"
            + " join lateral (select id from prompt where project_id = '"
            + nextTaskProjectId
            + "' order by id offset (g % 100) limit 1) p on true");
    exec("analyze");
  }

  /** Assignment ids of one side, by the username that holds them. */
  List<String[]> work(String side) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet row =
            s.executeQuery(
                "select username, aid, c1, c2, c3 from bench_work where side = '"
                    + side
                    + "' order by n")) {
      while (row.next()) {
        rows.add(
            new String[] {
              row.getString(1),
              row.getString(2),
              row.getString(3),
              row.getString(4),
              row.getString(5)
            });
      }
    }
    return rows;
  }

  long scalar(String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet row = s.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  void exec(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
