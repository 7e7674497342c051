package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keys and values of every layer for a batch of sequences being decoded one step at a time, so each
 * new token attends to the past without recomputing it.
 *
 * <p>Sequences of different lengths are left-padded: {@code leftPadding[b]} leading positions of
 * sequence {@code b} are padding that no token attends to, and positions are counted from the first
 * real token. The cache owns its own native memory; close it when decoding is done. It is written
 * in place, so it serves decoding without a gradient only.
 */
public final class KvCache implements AutoCloseable {

  /**
   * Values are kept as the attention computes them, (1, B, nh, T, hs); keys transposed, (1, B, nh,
   * hs, T), as the attention multiplies by them: a query times a slice of transposed keys is one
   * strided product, where transposing a (1, B, nh, T, hs) history costs 4-7x more (at 1 x 12 x 30
   * and 16 x 6 x 60 positions).
   */
  private static final int VALUE_TIME_AXIS = 3;

  private static final int KEY_TIME_AXIS = 4;

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final long[] leftPadding;
  private final int maxLength;
  private int length;

  /**
   * @param parent manager whose device the cache lives on (a sub-manager is created)
   * @param config network shapes
   * @param leftPadding per sequence, how many leading positions are padding
   */
  public KvCache(NDManager parent, GptConfig config, long[] leftPadding) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[config.nLayer()];
    this.values = new NDArray[config.nLayer()];
    this.leftPadding = leftPadding.clone();
    this.maxLength = config.blockSize();
  }

  /** A cache for {@code batchSize} sequences without padding. */
  public static KvCache unpadded(NDManager parent, GptConfig config, int batchSize) {
    return new KvCache(parent, config, new long[batchSize]);
  }

  /** Number of sequences. */
  public int batchSize() {
    return leftPadding.length;
  }

  /** Positions already cached (padding included). */
  public int length() {
    return length;
  }

  /** How many positions are still free before the network's context is full. */
  public int remaining() {
    return maxLength - length;
  }

  long[] leftPadding() {
    return leftPadding;
  }

  boolean hasPadding() {
    return Arrays.stream(leftPadding).anyMatch(p -> p > 0);
  }

  /**
   * Writes this step's keys and values of one layer into the cache and returns the whole history.
   * The history lives in buffers with room to spare, doubled when full (up to the context): a
   * decoding step copies only its own positions, where concatenating would copy the whole history
   * every step (16% of a 16-row PPO generation).
   *
   * @param k new keys (1, B, nh, T, hs)
   * @param v new values (1, B, nh, T, hs)
   * @return views of the transposed keys (1, B, nh, hs, length + T) and the values (1, B, nh,
   *     length + T, hs) of all positions so far, valid until the next append; they belong to the
   *     manager of {@code k}
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    int end = length + Math.toIntExact(v.getShape().get(VALUE_TIME_AXIS));
    NDArray kT = k.transpose(0, 1, 2, 4, 3); // (1, B, nh, hs, T)
    keys[layer] = roomFor(keys[layer], kT, KEY_TIME_AXIS, end);
    values[layer] = roomFor(values[layer], v, VALUE_TIME_AXIS, end);
    Slices.write(keys[layer], KEY_TIME_AXIS, length, kT);
    Slices.write(values[layer], VALUE_TIME_AXIS, length, v);
    NDManager step = k.getManager();
    return new NDArray[] {
      Slices.view(keys[layer], KEY_TIME_AXIS, 0, end, step),
      Slices.view(values[layer], VALUE_TIME_AXIS, 0, end, step)
    };
  }

  /**
   * {@code buffer}, or a larger one holding its first {@code length} positions along {@code axis}.
   */
  private NDArray roomFor(NDArray buffer, NDArray like, int axis, int end) {
    long room = buffer == null ? 0 : buffer.getShape().get(axis);
    if (end <= room) {
      return buffer;
    }
    long[] shape = like.getShape().getShape();
    shape[axis] = Math.min(maxLength, Math.max(end, 2 * room));
    NDArray larger = manager.zeros(new Shape(shape), like.getDataType());
    // The buffer outlives the caller's per-step scope, so it belongs to the cache.
    NDScope.unregister(larger);
    if (buffer != null) {
      try (NDArray old = Slices.view(buffer, axis, 0, length, manager)) {
        Slices.write(larger, axis, 0, old);
      }
      buffer.close();
    }
    return larger;
  }

  /** Called by the network once every layer has appended {@code steps} positions. */
  void advance(int steps) {
    length += steps;
  }

  @Override
  public void close() {
    manager.close();
  }
}
