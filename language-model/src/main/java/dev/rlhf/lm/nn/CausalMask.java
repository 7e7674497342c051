package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Additive attention masks: 0 where a query may attend a key, a large negative number else. */
final class CausalMask {

  /**
   * A large negative number rather than -infinity: a padding query whose every key is masked then
   * still gets a finite (ignored) softmax instead of NaN.
   */
  static final float MASKED = -1e9f;

  private CausalMask() {}

  /**
   * @param t number of new query positions
   * @param past positions already in the cache before these queries
   * @param leftPadding per sequence, leading padding positions no one attends to; null for none
   * @return (1, 1, T, past + T) without padding, (B, 1, T, past + T) with it
   */
  static NDArray bias(NDManager manager, long t, long past, long[] leftPadding) {
    int tk = Math.toIntExact(past + t);
    int rows = Math.toIntExact(t);
    int batch = leftPadding == null ? 1 : leftPadding.length;
    float[] bias = new float[batch * rows * tk];
    for (int b = 0; b < batch; b++) {
      long pad = leftPadding == null ? 0 : leftPadding[b];
      for (int i = 0; i < rows; i++) {
        long query = past + i;
        for (int j = 0; j < tk; j++) {
          boolean allowed = j <= query && (j >= pad || j == query);
          bias[(b * rows + i) * tk + j] = allowed ? 0f : MASKED;
        }
      }
    }
    return manager.create(bias, new Shape(batch, 1, rows, tk));
  }
}
