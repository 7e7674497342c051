package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

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

  private static final int ROW_AXIS = 1;

  private final NDManager manager;
  private final GptConfig config;
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
    this.config = config;
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

  /** Row {@code row} of {@code cache}, as one row of a {@link #gather gathered} cache. */
  public record RowOf(KvCache cache, int row) {}

  /**
   * A new cache holding the given rows in the given order (a row may be given several times), so
   * that a batch being decoded can drop finished sequences and take in new ones between two steps.
   * Each row keeps its own positions: every row is right-aligned on the new time axis, which is as
   * long as the longest row, and its new left padding is what is left before it. The sources are
   * left as they are; the caller closes them when it no longer needs them.
   *
   * @param parent manager whose device the new cache lives on
   * @param rows at least one, each from a cache that has positions, all of the same network
   */
  public static KvCache gather(NDManager parent, List<RowOf> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a cache needs at least one row");
    }
    GptConfig config = rows.get(0).cache().config;
    long[] content = new long[rows.size()];
    for (int i = 0; i < content.length; i++) {
      RowOf r = rows.get(i);
      if (r.cache().length == 0) {
        throw new IllegalArgumentException("row " + i + " comes from an empty cache");
      }
      content[i] = r.cache().length - r.cache().leftPadding[r.row()];
    }
    int length = Math.toIntExact(Arrays.stream(content).max().orElseThrow());
    long[] padding = new long[content.length];
    for (int i = 0; i < padding.length; i++) {
      padding[i] = length - content[i];
    }
    KvCache gathered = new KvCache(parent, config, padding);
    gathered.length = length;
    int capacity = Math.min(config.blockSize(), Math.max(length + 1, 2 * length));
    try (NDManager copying = parent.newSubManager()) {
      for (int layer = 0; layer < config.nLayer(); layer++) {
        gathered.keys[layer] = gathered.copyRows(rows, layer, true, capacity, copying);
        gathered.values[layer] = gathered.copyRows(rows, layer, false, capacity, copying);
      }
    }
    return gathered;
  }

  /**
   * One layer's keys or values of {@code rows}, right-aligned at {@link #length}. Runs of
   * consecutive rows of one source are copied together, with the positions of the longest of them:
   * the shorter ones' extra positions land in their padding, which no query attends to.
   */
  private NDArray copyRows(
      List<RowOf> rows, int layer, boolean keyBuffer, int capacity, NDManager copying) {
    int timeAxis = keyBuffer ? KEY_TIME_AXIS : VALUE_TIME_AXIS;
    NDArray first = keyBuffer ? rows.get(0).cache().keys[layer] : rows.get(0).cache().values[layer];
    long[] shape = first.getShape().getShape();
    shape[ROW_AXIS] = rows.size();
    shape[timeAxis] = capacity;
    NDArray out = manager.zeros(new Shape(shape), first.getDataType());
    NDScope.unregister(out);
    int i = 0;
    while (i < rows.size()) {
      RowOf start = rows.get(i);
      int end = i + 1;
      while (end < rows.size()
          && rows.get(end).cache() == start.cache()
          && rows.get(end).row() == start.row() + (end - i)) {
        end++;
      }
      KvCache source = start.cache();
      long minPadding = Long.MAX_VALUE;
      for (int j = i; j < end; j++) {
        minPadding = Math.min(minPadding, source.leftPadding[rows.get(j).row()]);
      }
      long width = source.length - minPadding;
      NDArray buffer = keyBuffer ? source.keys[layer] : source.values[layer];
      NDArray run = Slices.view(buffer, ROW_AXIS, start.row(), start.row() + (end - i), copying);
      NDArray positions = Slices.view(run, timeAxis, minPadding, source.length, copying);
      Slices.write(out, ROW_AXIS, i, timeAxis, length - width, positions);
      i = end;
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
