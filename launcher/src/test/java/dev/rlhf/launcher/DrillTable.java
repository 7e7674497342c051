package dev.rlhf.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The drills' results, one row each, printed as the table the README and the bench show. */
final class DrillTable {

  /**
   * One drill.
   *
   * @param duplicates records on Kafka beyond one per label (consumers drop them by event id)
   * @param lost acknowledged labels missing from the store, the topic or the trainer
   * @param recovery from the fault (the broker's return, for its outage) until every acknowledged
   *     label was in its trainer
   * @param answers the HTTP statuses the burst's clients got, with how often (-1: no answer)
   */
  record Row(
      String drill,
      int acknowledged,
      int stored,
      int onKafka,
      long received,
      int duplicates,
      int lost,
      Duration recovery,
      Map<Integer, Integer> answers) {}

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized String render() {
    StringBuilder out = new StringBuilder();
    String format = "| %-44s | %12s | %6s | %8s | %8s | %10s | %4s | %8s |%n";
    out.append(
        String.format(
            format,
            "drill",
            "acknowledged",
            "stored",
            "on Kafka",
            "received",
            "duplicates",
            "lost",
            "recovery"));
    out.append(
        String.format(
            format,
            "-".repeat(44),
            "-".repeat(12),
            "-".repeat(6),
            "-".repeat(8),
            "-".repeat(8),
            "-".repeat(10),
            "-".repeat(4),
            "-".repeat(8)));
    for (Row r : rows) {
      out.append(
          String.format(
              format,
              r.drill(),
              r.acknowledged(),
              r.stored(),
              r.onKafka(),
              r.received(),
              r.duplicates(),
              r.lost(),
              String.format("%.1f s", r.recovery().toMillis() / 1000.0)));
    }
    out.append("\nHTTP answers the clients got (status=count; -1: none, the service was away):\n");
    for (Row r : rows) out.append(String.format("  %-44s %s%n", r.drill(), r.answers()));
    return out.toString();
  }
}
