package dev.rlhf.lm.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A linear layer's product {@code x W^T + b}, with W in PyTorch's (out, in) layout, for every
 * linear map of the network: the blocks' four and the LM head.
 *
 * <p>A decoding step of a small batch has only a few rows. BLAS can then either pack W, as the
 * engine's fused linear op does for any number of rows, or stream W once as the left operand of
 * {@code W x^T}. Which is faster depends on the BLAS kernels the CPU gets: on Intel AVX-512 cores
 * with the bundled MKL, at 8 rows, {@code W x^T} took 0.74-0.94 ms against 0.98-1.34 ms for GPT-2's
 * 2304x768, 3072x768 and 768x3072 weights and 14 ms against 26 ms for its 50257x768 head; on an AMD
 * EPYC the same products of the blocks were slower that way. So on the CPU the first product of
 * each weight shape and row count (2 to {@value #MAX_FEW_ROWS} rows, no gradient) times both forms
 * and the process keeps the faster one. Both give the same values up to the order of float
 * additions.
 */
final class Products {

  private static final Logger LOG = LoggerFactory.getLogger(Products.class);

  /** The most rows for which the streamed form is considered. */
  static final long MAX_FEW_ROWS = 32;

  /** Timed calls of each form, after one untimed call of each. */
  private static final int TRIALS = 5;

  /** (rows, out, in) -> whether {@code W x^T} was the faster form. */
  private static final Map<List<Long>, Boolean> STREAMED = new ConcurrentHashMap<>();

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
    Shape s = x.getShape();
    long in = s.get(s.dimension() - 1);
    long rows = s.size() / in;
    boolean few =
        !training
            && rows > 1
            && rows <= MAX_FEW_ROWS
            && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    if (few && streamedIsFaster(x, w, b, rows)) {
      return streamed(x, w, b);
    }
    return packed(x, w, b);
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

  private static boolean streamedIsFaster(NDArray x, NDArray w, NDArray b, long rows) {
    List<Long> key = List.of(rows, w.getShape().get(0), w.getShape().get(1));
    Boolean known = STREAMED.get(key);
    if (known != null) {
      return known;
    }
    long packedNs = Long.MAX_VALUE;
    long streamedNs = Long.MAX_VALUE;
    try (NDManager trial = x.getManager().newSubManager()) {
      NDArray probe = x.duplicate();
      probe.attach(trial);
      for (int round = 0; round <= TRIALS; round++) {
        long start = System.nanoTime();
        packed(probe, w, b);
        long middle = System.nanoTime();
        streamed(probe, w, b);
        long end = System.nanoTime();
        if (round > 0) {
          packedNs = Math.min(packedNs, middle - start);
          streamedNs = Math.min(streamedNs, end - middle);
        }
      }
    }
    boolean streamed = streamedNs < packedNs;
    if (STREAMED.putIfAbsent(key, streamed) == null) {
      LOG.debug(
          "{} rows x ({}, {}) weight: W x^T {} us, x W^T {} us; using {}",
          rows,
          key.get(1),
          key.get(2),
          streamedNs / 1000,
          packedNs / 1000,
          streamed ? "W x^T" : "x W^T");
    }
    return STREAMED.get(key);
  }
}
