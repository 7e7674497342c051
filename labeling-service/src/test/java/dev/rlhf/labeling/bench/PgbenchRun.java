package dev.rlhf.labeling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * pgbench running, on the same database, the statements the service runs for one ranking
 * submission: the account lookup of basic auth, the locked reads of assignment and task, the task's
 * completions and prompt, the ranking and its entries, the two updates and the outbox row. One
 * extra statement per transaction fetches the next pre-seeded assignment.
 */
final class PgbenchRun {

  // A space after each colon: pgbench would take ":false" or ":1" for a variable.
  private static final String PAYLOAD =
      "{\"type\": \"RankingSubmitted\", \"schemaVersion\": 1, \"conversation\": [{\"role\": \"USER\","
          + " \"text\": \"What is 2+2? Explain briefly.\"}], \"completions\": ["
          + "{\"text\": \""
          + BenchSeed.COMPLETION
          + " (c1)\", \"policyVersion\": \"bench-policy\", \"rank\": 1},"
          + " {\"text\": \""
          + BenchSeed.COMPLETION
          + " (c2)\", \"policyVersion\": \"bench-policy\", \"rank\": 2},"
          + " {\"text\": \""
          + BenchSeed.COMPLETION
          + " (c3)\", \"policyVersion\": \"bench-policy\", \"rank\": 3}],"
          + " \"allBad\": false, \"betterResponse\": null, \"guidelineVersion\": 1,"
          + " \"contractor\": \"bench\"}";

  static final String SCRIPT =
      String.join(
          "\n",
          "select aid, tid, pid, cid, username, c1, c2, c3 from bench_work"
              + " where side = 'pgbench' and n = (select nextval('bench_work_seq')) \\gset",
          "select id, username, password_hash, roles, active from app_user where username = :username;",
          "begin;",
          "select id, contractor_id, finished_at, guideline_version, lease_expires_at, leased_at,"
              + " skip_reason, state, task_id from assignment where id = :aid for no key update;",
          "select id, answers_done, answers_wanted, completion_request_id, created_at, priority,"
              + " project_id, prompt_id, slots_taken, state, type from task where id = :tid"
              + " for no key update;",
          "select tc.task_id, tc.position, c.id, c.created_at, c.policy_version, c.prompt_id,"
              + " c.request_id, c.sampling, c.text from task_completion tc join completion c"
              + " on c.id = tc.completion_id where tc.task_id = :tid;",
          "select id, author_id, conversation, created_at, project_id, source, tags from prompt"
              + " where id = :pid;",
          "insert into ranking (all_bad, assignment_id, better_response, contractor_id, created_at,"
              + " guideline_version, project_id, prompt_id, task_id, time_spent_ms, id)"
              + " select false, :aid::uuid, null, :cid::uuid, now(), 1, project_id, :pid::uuid,"
              + " :tid::uuid, 1000, gen_random_uuid() from task where id = :tid"
              + " returning id as rid \\gset",
          // The service sends the entries as one JDBC batch: one round trip.
          "\\startpipeline",
          "insert into ranking_entry (ranking_id, completion_id, rank) values (:rid, :c1, 1);",
          "insert into ranking_entry (ranking_id, completion_id, rank) values (:rid, :c2, 2);",
          "insert into ranking_entry (ranking_id, completion_id, rank) values (:rid, :c3, 3);",
          "\\endpipeline",
          "update assignment set state = 'SUBMITTED', finished_at = now() where id = :aid;",
          "update task set answers_done = answers_done + 1, state = 'COMPLETE' where id = :tid;",
          "insert into outbox_event (event_id, topic, aggregate_key, event_type, payload)"
              + " values (gen_random_uuid(), 'rlhf.labels.rankings', :pid, 'RankingSubmitted',"
              + " cast('"
              + PAYLOAD
              + "' as jsonb));",
          "commit;",
          "");

  private PgbenchRun() {}

  /** Runs {@code clients} x {@code perClient} transactions; returns their latencies. */
  static Latencies run(int port, int clients, int perClient, Path dir, int repetition)
      throws IOException, InterruptedException {
    Path script = dir.resolve("ranking-submission.sql");
    Files.writeString(script, SCRIPT);
    Path logs = Files.createDirectories(dir.resolve("pgbench-" + repetition));
    ProcessBuilder pgbench =
        new ProcessBuilder(
                "pgbench",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "postgres",
                "-n",
                // Server-side prepared statements, as the service's JDBC driver uses them.
                "-M",
                "prepared",
                "-c",
                String.valueOf(clients),
                "-j",
                "2",
                "-t",
                String.valueOf(perClient),
                "-f",
                script.toString(),
                "-l",
                "--log-prefix=" + logs.resolve("tx"),
                "rlhf")
            .redirectErrorStream(true);
    pgbench.environment().put("PGPASSWORD", "postgres");
    long start = System.nanoTime();
    Process process = pgbench.start();
    String output = new String(process.getInputStream().readAllBytes());
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) throw new IllegalStateException("pgbench failed:\n" + output);
    Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(output);
    if (failed.find() && !failed.group(1).equals("0")) {
      throw new IllegalStateException("pgbench transactions failed:\n" + output);
    }
    List<Long> micros = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file)) {
          String[] f = line.trim().split("\\s+");
          if (f.length >= 3) micros.add(Long.parseLong(f[2]));
        }
      }
    }
    return new Latencies(micros.stream().mapToLong(Long::longValue).toArray(), seconds);
  }
}
