package dev.rlhf.lm.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One of {@code count} shares of a training step's batch in {@link DataParallel} training: shard
 * {@code index} takes a contiguous slice, the first shards one item more when the batch does not
 * divide evenly, so the first shard is never empty while the batch is not.
 *
 * <p>A shard's loss is its share of the whole batch's loss, so the shards' losses add up to the
 * loss one device would take on the whole batch and their gradients to its gradient: a loss that is
 * a mean over tokens (or pairs, or prompts) is the shard's own mean times {@link #scaled its tokens
 * over the batch's}.
 */
public record Shard(int index, int count) {

  /** The whole batch, on one device. */
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + " of " + count);
    }
  }

  /** This shard's slice of {@code batch} (empty when the batch has fewer items than shards). */
  public <T> List<T> of(List<T> batch) {
    int base = batch.size() / count;
    int extra = batch.size() % count;
    int from = index * base + Math.min(index, extra);
    int to = from + base + (index < extra ? 1 : 0);
    return batch.subList(from, to);
  }

  /**
   * {@code mean} (a mean over this shard's {@code part} items) as its share of the mean over the
   * batch's {@code whole} items; the mean itself for the whole batch.
   */
  public NDArray scaled(NDArray mean, double part, double whole) {
    if (count == 1) return mean;
    return Scalars.mul(mean, (float) (part / whole));
  }
}
