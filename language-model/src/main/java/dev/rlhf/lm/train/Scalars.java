package dev.rlhf.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Products and quotients of an array and a number, for losses that are differentiated.
 *
 * <p>DJL's PyTorch engine runs {@code x.mul(0.5f)} as a product with a 0-d array over a Java direct
 * buffer, and closes that array as soon as the product is made. The backward pass of a product or
 * quotient keeps its operand, so the graph then points into a buffer that the JVM frees when it
 * next collects it: a backward pass after a garbage collection reads freed memory, and the
 * gradients depend on when the collector ran (a resumed PPO run ended 0.01 away from the run never
 * killed about once in ten fresh JVMs). The numbers here are arrays the engine allocates itself, so
 * the graph keeps them alive; the floats are those of {@code x.mul(c)} and {@code x.div(c)}.
 *
 * <p>{@code maximum}, {@code minimum} and {@code pow} by a number keep it the same way. Outside a
 * gradient collector a number operand is harmless (nothing keeps it past the op), and so is one on
 * an array that does not require a gradient. Sums and differences with a number keep nothing, and
 * {@code clip} leaves its bounds on the array's manager.
 */
public final class Scalars {

  private Scalars() {}

  /** {@code x * c}, safe to differentiate. */
  public static NDArray mul(NDArray x, float c) {
    try (NDArray scalar = of(x.getManager(), c)) {
      return x.mul(scalar);
    }
  }

  /** {@code x / c}, safe to differentiate. */
  public static NDArray div(NDArray x, float c) {
    try (NDArray scalar = of(x.getManager(), c)) {
      return x.div(scalar);
    }
  }

  /** A 0-d float array in memory the engine owns (not a Java buffer). */
  static NDArray of(NDManager manager, float value) {
    return manager.full(new Shape(), value, DataType.FLOAT32);
  }
}
