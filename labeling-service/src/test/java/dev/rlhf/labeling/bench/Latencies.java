package dev.rlhf.labeling.bench;

import java.util.Arrays;

/** Latencies in microseconds and what the report prints about them. */
record Latencies(long[] micros, double seconds) {

  long percentile(double p) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) return 0;
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  double perSecond() {
    return micros.length / seconds;
  }

  String line(String name) {
    return String.format(
        "%-34s %8d ops %9.1f ops/s   p50 %7.2f ms   p99 %7.2f ms",
        name, micros.length, perSecond(), percentile(50) / 1000.0, percentile(99) / 1000.0);
  }
}
