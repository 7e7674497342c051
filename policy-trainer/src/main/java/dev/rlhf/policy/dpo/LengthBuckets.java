package dev.rlhf.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.policy.ppo.PolicyForward;
import dev.rlhf.policy.train.ResponseSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rows of a DPO pass in length buckets, each padded only to its own longest row. One padded
 * pass over a batch pads every row to the batch's longest, and one story among short answers makes
 * that the full context: half the positions computed were pads. Here the rows are sorted by length
 * (ties by their order) and cut into at most {@link #MAX_BUCKETS} consecutive groups at the cuts
 * that leave the fewest padded positions (fewer groups when that is as good); each group is one
 * teacher-forced pass, and each row's log-probability is gathered back into the rows' order. The
 * loss and its gradient are those of one padded pass up to the order of float sums: right padding
 * never reaches a real token through the causal mask, and autograd joins the groups' graphs.
 */
final class LengthBuckets {

  /** The most passes a batch is split into. */
  static final int MAX_BUCKETS = 3;

  private LengthBuckets() {}

  /**
   * The rows' indices in each bucket, shortest bucket first, each ascending by length, at most
   * {@code maxBuckets} buckets; the same rows always give the same buckets.
   */
  static List<int[]> of(List<? extends ResponseSequence> rows, int maxBuckets) {
    int n = rows.size();
    if (n == 0) return List.of();
    int[] width = rows.stream().mapToInt(r -> r.promptTokens().length + r.length()).toArray();
    int[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingInt((Integer i) -> width[i]).thenComparingInt(i -> i))
            .mapToInt(Integer::intValue)
            .toArray();
    int k = Math.max(1, Math.min(maxBuckets, n));
    // best[b][j]: fewest positions for the first j sorted rows in b buckets; cut[b][j] where the
    // last of them starts. A bucket of sorted rows i..j-1 computes (j - i) * (width - 1).
    long[][] best = new long[k + 1][n + 1];
    int[][] cut = new int[k + 1][n + 1];
    for (long[] b : best) Arrays.fill(b, Long.MAX_VALUE);
    best[0][0] = 0;
    for (int b = 1; b <= k; b++) {
      for (int j = 1; j <= n; j++) {
        for (int i = b - 1; i < j; i++) {
          if (best[b - 1][i] == Long.MAX_VALUE) continue;
          long cost = best[b - 1][i] + (long) (j - i) * (width[order[j - 1]] - 1);
          if (cost < best[b][j]) {
            best[b][j] = cost;
            cut[b][j] = i;
          }
        }
      }
    }
    int buckets = 1;
    for (int b = 2; b <= k; b++) {
      if (best[b][n] < best[buckets][n]) buckets = b;
    }
    List<int[]> out = new ArrayList<>();
    for (int b = buckets, j = n; b > 0; j = cut[b][j], b--) {
      out.add(0, Arrays.copyOfRange(order, cut[b][j], j));
    }
    return out;
  }

  /** The bucketing a DPO pass uses. */
  static List<int[]> of(List<? extends ResponseSequence> rows) {
    return of(rows, MAX_BUCKETS);
  }

  /** Positions the passes over {@code buckets} compute: per bucket, rows times its width less 1. */
  static long positions(List<? extends ResponseSequence> rows, List<int[]> buckets) {
    long positions = 0;
    for (int[] bucket : buckets) {
      int width = 0;
      for (int i : bucket) {
        width = Math.max(width, rows.get(i).promptTokens().length + rows.get(i).length());
      }
      positions += (long) bucket.length * (width - 1);
    }
    return positions;
  }

  /**
   * Each row's response log-probability under {@code network} (R), summed over its response tokens,
   * in the rows' order, from one pass per bucket.
   *
   * @param training true only inside a gradient collector
   */
  static NDArray sequenceLogProbs(
      LanguageModel network,
      List<? extends ResponseSequence> rows,
      List<int[]> buckets,
      NDManager m,
      boolean training) {
    NDList parts = new NDList();
    long[] place = new long[rows.size()]; // each row's position in the buckets' concatenation
    int next = 0;
    for (int[] bucket : buckets) {
      List<ResponseSequence> members = new ArrayList<>();
      for (int i : bucket) {
        members.add(rows.get(i));
        place[i] = next++;
      }
      parts.add(PolicyForward.run(network, members, 1f, m, training).sequenceLogProbs()); // (Rb)
    }
    if (next != rows.size()) throw new IllegalArgumentException("buckets must hold every row once");
    NDArray joined = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts); // (R), bucketed
    return joined.get(new NDIndex("{}", m.create(place))); // (R)
  }
}
