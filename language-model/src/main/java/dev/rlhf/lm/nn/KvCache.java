package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;

/**
 * Keys and values of every layer for a batch of sequences being decoded one step at a time, so each
 * new token attends to the past without recomputing it.
 *
 * <p>Sequences of different lengths are left-padded: {@code leftPadding[b]} leading positions of
 * sequence {@code b} are padding that no token attends to, and positions are counted from the first
 * real token. The cache owns its own native memory; close it when decoding is done.
 */
public final class KvCache implements AutoCloseable {

  /** Keys and values are kept as the attention computes them: (1, B, nh, T, hs). */
  private static final int TIME_AXIS = 3;

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
   * Appends this step's keys and values of one layer and returns the whole history.
   *
   * @param k new keys (1, B, nh, T, hs)
   * @param v new values (1, B, nh, T, hs)
   * @return keys and values of all positions so far, each (1, B, nh, length + T, hs)
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray newK =
        keys[layer] == null ? k.duplicate() : NDArrays.concat(ofPair(keys[layer], k), TIME_AXIS);
    NDArray newV =
        values[layer] == null
            ? v.duplicate()
            : NDArrays.concat(ofPair(values[layer], v), TIME_AXIS);
    // The history outlives the caller's per-step scope, so it belongs to the cache.
    manager.attachAll(newK, newV);
    NDScope.unregister(newK, newV);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = newK;
    values[layer] = newV;
    return new NDArray[] {newK, newV};
  }

  /** Called by the network once every layer has appended {@code steps} positions. */
  void advance(int steps) {
    length += steps;
  }

  private static NDList ofPair(NDArray a, NDArray b) {
    return new NDList(a, b);
  }

  @Override
  public void close() {
    manager.close();
  }
}
