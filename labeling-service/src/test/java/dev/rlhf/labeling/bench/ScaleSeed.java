package dev.rlhf.labeling.bench;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Fills one project directly in PostgreSQL with set-based SQL, the way a project looks after months
 * of labeling: {@code n} prompts and {@code n} tasks, and {@code 2n} labels from a few contractors
 * with their assignments and published outbox events.
 *
 * <p>Every tenth task is a demonstration task with one demonstration (complete); the others are
 * ranking tasks of 3 completions wanting 3 answers: one in nine of them has its 3 rankings
 * (complete), the rest have 2 and one free slot (open, 0.8n tasks to hand out). Rankings: 1.9n,
 * demonstrations: 0.1n. Ids are derived from the project id and the row number (md5), so every
 * table is one {@code INSERT ... SELECT} over {@code generate_series} without a staging table.
 * Labels are spread one second apart per task, oldest first, ending a day ago. The triggers being
 * off, the project's dashboard figures are recounted at the end ({@code refresh_project_figures}).
 */
public final class ScaleSeed {

  public static final String PASSWORD = "bench-password";

  /** What was made. */
  public record Made(
      UUID projectId, long prompts, long tasks, long rankings, long demonstrations, long seconds) {

    long labels() {
      return rankings + demonstrations;
    }
  }

  private final Connection connection;

  public ScaleSeed(Connection connection) {
    this.connection = connection;
  }

  /** Contractor accounts sharing one bcrypt hash; returns their names. */
  public List<String> contractors(String prefix, int count) throws SQLException {
    return accounts(prefix, count, "contractor");
  }

  /** Accounts of the given roles (comma-separated) sharing one bcrypt hash; returns their names. */
  public List<String> accounts(String prefix, int count, String roles) throws SQLException {
    String hash = BcryptUtil.bcryptHash(PASSWORD);
    List<String> names = new ArrayList<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into app_user (id, username, password_hash, roles, active)"
                + " values (gen_random_uuid(), ?, ?, ?, true)")) {
      for (int i = 0; i < count; i++) {
        names.add(prefix + "-" + i);
        insert.setString(1, prefix + "-" + i);
        insert.setString(2, hash);
        insert.setString(3, roles);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return names;
  }

  /**
   * A new project named {@code name} with {@code n} prompts and tasks and {@code 2n} labels by the
   * given contractors (at least 3: a task's labels come from distinct contractors); then VACUUM
   * ANALYZE.
   */
  public Made project(String name, int n, List<String> labelers) throws SQLException {
    if (labelers.size() < 3) throw new IllegalArgumentException("3 contractors at least");
    if (n < 10 || n % 10 != 0) throw new IllegalArgumentException("n is a multiple of 10");
    long start = System.nanoTime();
    // The rows are consistent by construction: the foreign-key triggers, which would look up every
    // referenced row one by one (most of the time of a load), are off for this session's inserts.
    exec("set session_replication_role = replica");
    try {
      return fill(name, n, labelers, start);
    } finally {
      exec("set session_replication_role = origin");
    }
  }

  private Made fill(String name, int n, List<String> labelers, long start) throws SQLException {
    UUID project = UUID.randomUUID();
    String p = "'" + project + "'";
    // id(kind, g[, j]): a uuid of its own per table, row and label number.
    String seed = project.toString();
    exec(
        "create or replace function pg_temp.sid(kind text, g bigint, j int default 0) returns uuid"
            + " language sql immutable as $$ select md5('"
            + seed
            + "' || kind || g || ':' || j)::uuid $$");
    exec("create temp table scale_labeler (n int primary key, id uuid, username text)");
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into scale_labeler select ?, id, username from app_user where username = ?")) {
      for (int k = 0; k < labelers.size(); k++) {
        insert.setInt(1, k);
        insert.setString(2, labelers.get(k));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    int c = labelers.size();
    exec(
        "insert into project (id, name, description, demonstration_overlap, ranking_overlap)"
            + " values ("
            + p
            + ", '"
            + name.replace("'", "''")
            + "', 'generated', 1, 3)");
    exec(
        "insert into guideline_version (id, project_id, version, markdown, created_by) values"
            + " (gen_random_uuid(), "
            + p
            + ", 1, '# Rank by helpfulness, truthfulness, harmlessness', 'generator')");
    // Task g was made at t0 + g seconds; its label j (1..3) j minutes later.
    String t0 = "(now() - interval '1 day' - make_interval(secs => " + n + " + 3600))";
    String made = t0 + " + make_interval(secs => g)";
    String labelled = made + " + make_interval(mins => j)";
    exec(
        "insert into prompt (id, project_id, conversation, source, created_at)"
            + " select pg_temp.sid('p', g), "
            + p
            + ", jsonb_build_array(jsonb_build_object('role', 'USER', 'text',"
            + " 'Question ' || g || ': explain briefly why the sky looks blue at noon.')),"
            + " 'generator', "
            + made
            + " from generate_series(1, "
            + n
            + ") g");
    // Ranking tasks (g % 10 <> 0) show 3 completions of their prompt.
    String rankingTasks = " from generate_series(1, " + n + ") g where g % 10 <> 0";
    exec(
        "insert into completion (id, prompt_id, text, policy_version, sampling, created_at)"
            + " select pg_temp.sid('c', g, k), pg_temp.sid('p', g),"
            + " 'Completion ' || k || ' of question ' || g || ': scattered sunlight, mostly blue.',"
            + " 'policy-v1', '{\"temperature\":1.0,\"topP\":0.95,\"topK\":0,\"maxTokens\":96,"
            + "\"stop\":[]}', "
            + made
            + rankingTasks.replace(" where", " cross join generate_series(0, 2) k where"));
    // answers: 3 on one ranking task in nine (g % 10 = 1), 2 on the others, 1 on demonstrations.
    String answers = "(case when g % 10 = 0 then 1 when g % 10 = 1 then 3 else 2 end)";
    exec(
        "insert into task (id, project_id, prompt_id, type, state, answers_wanted, answers_done,"
            + " slots_taken, created_at)"
            + " select pg_temp.sid('t', g), "
            + p
            + ", pg_temp.sid('p', g),"
            + " case when g % 10 = 0 then 'DEMONSTRATION' else 'RANKING' end,"
            + " case when g % 10 in (0, 1) then 'COMPLETE' else 'OPEN' end,"
            + " case when g % 10 = 0 then 1 else 3 end, "
            + answers
            + ", "
            + answers
            + ", "
            + made
            + " from generate_series(1, "
            + n
            + ") g");
    exec(
        "insert into task_completion (task_id, completion_id, position)"
            + " select pg_temp.sid('t', g), pg_temp.sid('c', g, k), k"
            + rankingTasks.replace(" where", " cross join generate_series(0, 2) k where"));
    // Every label: task g, answer j, by labeler (g + j) % c.
    String labels =
        " from generate_series(1, "
            + n
            + ") g cross join generate_series(1, 3) j"
            + " join scale_labeler u on u.n = (g + j) % "
            + c
            + " where j <= "
            + answers;
    exec(
        "insert into assignment (id, task_id, contractor_id, state, guideline_version, leased_at,"
            + " lease_expires_at, finished_at)"
            + " select pg_temp.sid('a', g, j), pg_temp.sid('t', g), u.id, 'SUBMITTED', 1, "
            + labelled
            + " - interval '30 seconds', "
            + labelled
            + " + interval '1 hour', "
            + labelled
            + labels);
    exec(
        "insert into demonstration (id, assignment_id, task_id, project_id, prompt_id,"
            + " contractor_id, response, time_spent_ms, guideline_version, created_at, event_id)"
            + " select pg_temp.sid('r', g, j), pg_temp.sid('a', g, j), pg_temp.sid('t', g), "
            + p
            + ", pg_temp.sid('p', g), u.id,"
            + " 'Sunlight scatters off air molecules; blue light scatters most (answer ' || g"
            + " || ').', 30000, 1, "
            + labelled
            + ", pg_temp.sid('e', g, j)"
            + labels
            + " and g % 10 = 0");
    exec(
        "insert into ranking (id, assignment_id, task_id, project_id, prompt_id, contractor_id,"
            + " all_bad, time_spent_ms, guideline_version, created_at, informative_pairs,"
            + " event_id)"
            + " select pg_temp.sid('r', g, j), pg_temp.sid('a', g, j), pg_temp.sid('t', g), "
            + p
            + ", pg_temp.sid('p', g), u.id, false, 20000, 1, "
            + labelled
            + ", 3, pg_temp.sid('e', g, j)"
            + labels
            + " and g % 10 <> 0");
    // Ranks 1..3, rotated per label so that the labels of a task disagree now and then.
    String rank = "1 + (k + g / 10 + (j / 3)) % 3";
    exec(
        "insert into ranking_entry (ranking_id, completion_id, rank)"
            + " select pg_temp.sid('r', g, j), pg_temp.sid('c', g, k), "
            + rank
            + labels.replace(
                " join scale_labeler",
                " cross join generate_series(0, 2) k join" + " scale_labeler")
            + " and g % 10 <> 0");
    // The label events, published, as the service's outbox writes them.
    String conversation =
        "jsonb_build_array(jsonb_build_object('role', 'USER', 'text',"
            + " 'Question ' || g || ': explain briefly why the sky looks blue at noon.'))";
    exec(
        "insert into outbox_event (event_id, topic, aggregate_key, event_type, payload,"
            + " created_at, published_at)"
            + " select pg_temp.sid('e', g, j), 'rlhf.labels.rankings', pg_temp.sid('p', g)::text,"
            + " 'RankingSubmitted', jsonb_build_object('eventId', pg_temp.sid('e', g, j),"
            + " 'occurredAt', "
            + labelled
            + ", 'rankingId', pg_temp.sid('r', g, j), 'projectId', "
            + p
            + "::uuid, 'promptId', pg_temp.sid('p', g), 'conversation', "
            + conversation
            + ", 'completions', (select jsonb_agg(jsonb_build_object('completionId',"
            + " pg_temp.sid('c', g, k), 'text', 'Completion ' || k || ' of question ' || g"
            + " || ': scattered sunlight, mostly blue.', 'policyVersion', 'policy-v1', 'rank', "
            + rank
            + ") order by k) from generate_series(0, 2) k), 'allBad', false, 'betterResponse',"
            + " null, 'guidelineVersion', 1, 'contractor', u.username), "
            + labelled
            + ", "
            + labelled
            + labels
            + " and g % 10 <> 0"
            + " union all"
            + " select pg_temp.sid('e', g, j), 'rlhf.labels.demonstrations',"
            + " pg_temp.sid('p', g)::text, 'DemonstrationSubmitted', jsonb_build_object('eventId',"
            + " pg_temp.sid('e', g, j), 'occurredAt', "
            + labelled
            + ", 'demonstrationId', pg_temp.sid('r', g, j), 'projectId', "
            + p
            + "::uuid, 'promptId', pg_temp.sid('p', g), 'conversation', "
            + conversation
            + ", 'response', 'Sunlight scatters off air molecules; blue light scatters most"
            + " (answer ' || g || ').', 'editedFromCompletionId', null, 'guidelineVersion', 1,"
            + " 'contractor', u.username), "
            + labelled
            + ", "
            + labelled
            + labels
            + " and g % 10 = 0"
            + " order by 6");
    exec("drop table scale_labeler");
    // The dashboard figures (V83) are kept by triggers, which were off for these inserts.
    exec("select refresh_project_figures(" + p + ")");
    // Planner statistics and the visibility map, as autovacuum leaves a database in use: without
    // the map, counting a project's labels from an index reads every row of the table as well.
    exec("vacuum analyze");
    long rankings = n / 10 * 19;
    long demonstrations = n / 10;
    return new Made(
        project, n, n, rankings, demonstrations, (System.nanoTime() - start) / 1_000_000_000L);
  }

  private void exec(String sql) throws SQLException {
    long t0 = System.nanoTime();
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    if (millis > 1000) {
      String table = sql.startsWith("insert into ") ? sql.substring(12, sql.indexOf(' ', 12)) : sql;
      System.out.printf("  generator: %s %.1f s%n", table, millis / 1000.0);
    }
  }
}
