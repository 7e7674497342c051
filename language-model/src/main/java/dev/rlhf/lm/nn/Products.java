package dev.rlhf.lm.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * A linear layer's product {@code x W^T + b}, with W in PyTorch's (out, in) layout, for every
 * linear map of the network: the blocks' four and the LM head.
 *
 * <p>A decoding step of a small batch has only a few rows. BLAS can then either pack W, as the
 * engine's fused linear op does for any number of rows, or stream W once as the left operand of
 * {@code W x^T}. Measured in the decoding loop (bench/language-model), the packed form was the
 * faster for the blocks' weights on Intel and AMD cores, and only a vocabulary-sized head (GPT-2's
 * 50257x768) was faster streamed (14 against 20 ms on Intel AVX-512 with the bundled MKL).
 *
 * <p>The rule, a pure function of the product's shape and device so that the same weights and input
 * give the same floats in every call, network and process: on the CPU, without a gradient, for 2 to
 * {@value #MAX_FEW_ROWS} rows, a weight with at least {@value #HEAD_RATIO} times as many outputs as
 * inputs (a vocabulary head) is streamed; every other product is packed. The two forms differ only
 * in the order of float additions.
 */
final class Products {

  /** The most rows for which the streamed form is used. */
  static final long MAX_FEW_ROWS = 32;

  /** Outputs per input from which a weight counts as a vocabulary head. */
  static final long HEAD_RATIO = 16;

  private Products() {}

  /**
   * @param x input (..., in)
   * @return the layer's output (..., out)
   */
  static NDArray linear(ParameterStore ps, Linear layer, NDArray x, boolean training) {
    ParameterList p = layer.getParameters();
    Device device = x.getDevice();
    NDArray w = ps.getValue(p.get("weight"), device, training);
    NDArray b = p.contains("bias") ? ps.getValue(p.get("bias"), device, training) : null;
    return linear(x, w, b, training);
  }

  /**
   * @param x input (..., in)
   * @param w weight (out, in)
   * @param b bias (out), or null
   * @return {@code x W^T + b} (..., out)
   */
  static NDArray linear(NDArray x, NDArray w, NDArray b, boolean training) {
    return isStreamed(x, w, training) ? streamed(x, w, b) : packed(x, w, b);
  }

  /** Whether the product of {@code x} and {@code w} takes the streamed form (the rule above). */
  static boolean isStreamed(NDArray x, NDArray w, boolean training) {
    Shape s = x.getShape();
    long in = s.get(s.dimension() - 1);
    long rows = s.size() / in;
    return !training
        && rows > 1
        && rows <= MAX_FEW_ROWS
        && w.getShape().get(0) >= HEAD_RATIO * w.getShape().get(1)
        && Device.Type.CPU.equals(x.getDevice().getDeviceType());
  }

  static NDArray packed(NDArray x, NDArray w, NDArray b) {
    return Linear.linear(x, w, b).singletonOrThrow();
  }

  static NDArray streamed(NDArray x, NDArray w, NDArray b) {
    Shape s = x.getShape();
    long in = s.get(s.dimension() - 1);
    NDArray columns = w.matMul(x.reshape(-1, in).transpose()); // (out, rows)
    columns.attach(x.getManager()); // it would stay with the weights' manager otherwise
    NDArray y = columns.transpose().reshape(s.slice(0, s.dimension() - 1).add(w.getShape().get(0)));
    return b == null ? y : y.addi(b); // (..., out)
  }
}
