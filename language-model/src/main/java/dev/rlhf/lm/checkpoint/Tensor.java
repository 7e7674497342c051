package dev.rlhf.lm.checkpoint;

import java.util.Arrays;

/** A named array's shape and row-major float values, as stored in a safetensors file. */
public record Tensor(long[] shape, float[] data) {

  public Tensor {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** The transpose of a 2-D tensor (GPT-2's Conv1D stores (in, out), PyTorch Linear (out, in)). */
  public Tensor transpose2d() {
    if (shape.length != 2) {
      throw new IllegalStateException("not a matrix: " + Arrays.toString(shape));
    }
    int rows = Math.toIntExact(shape[0]);
    int cols = Math.toIntExact(shape[1]);
    float[] t = new float[data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = data[r * cols + c];
      }
    }
    return new Tensor(new long[] {cols, rows}, t);
  }
}
