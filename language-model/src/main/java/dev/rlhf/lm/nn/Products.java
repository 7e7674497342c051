package dev.rlhf.lm.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
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
 * {@code W x^T}. Which is faster depends on the CPU's BLAS kernels and on where W lies when it is
 * read: on Intel AVX-512 cores with the bundled MKL, at 8 rows, a scratch loop over weights read
 * from memory found {@code W x^T} faster for GPT-2's 2304x768, 3072x768 and 768x3072 weights
 * (0.74-0.94 against 0.98-1.34 ms), yet in the decoding loop on the same kind of machine the packed
 * form was the faster for them and only the 50257x768 head was faster streamed (14 against 20 ms);
 * on an AMD EPYC the blocks were slower streamed. So on the CPU, for each weight shape and row
 * count (2 to {@value #MAX_FEW_ROWS} rows, no gradient), the first decoding calls alternate the two
 * forms and time them as they happen, with the rest of the network's weights passing through the
 * cache in between; after {@value #TRIALS} timed calls of each (the first call of each left out)
 * the process keeps the form with the lower median. Both give the same values up to the order of
 * float additions.
 */
final class Products {

  private static final Logger LOG = LoggerFactory.getLogger(Products.class);

  /** The most rows for which the streamed form is considered. */
  static final long MAX_FEW_ROWS = 32;

  /** Timed calls of each form, after a first call of each that is left out. */
  static final int TRIALS = 5;

  /** (rows, out, in) -> the timing of that product's first calls, then the form kept. */
  private static final Map<List<Long>, Trial> TRIALS_BY_SHAPE = new ConcurrentHashMap<>();

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
    if (!few) {
      return packed(x, w, b);
    }
    Trial trial =
        TRIALS_BY_SHAPE.computeIfAbsent(
            List.of(rows, w.getShape().get(0), w.getShape().get(1)), Trial::new);
    Boolean streamed = trial.decided;
    if (streamed != null) {
      return streamed ? streamed(x, w, b) : packed(x, w, b);
    }
    boolean streamedNow = trial.nextIsStreamed();
    long start = System.nanoTime();
    NDArray y = streamedNow ? streamed(x, w, b) : packed(x, w, b);
    trial.record(streamedNow, System.nanoTime() - start);
    return y;
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

  /** The first calls of one product shape: which form runs next, their times, the choice. */
  private static final class Trial {

    private final List<Long> shape;
    private final long[] packedNs = new long[TRIALS + 1];
    private final long[] streamedNs = new long[TRIALS + 1];
    private int packedCalls;
    private int streamedCalls;
    volatile Boolean decided;

    Trial(List<Long> shape) {
      this.shape = shape;
    }

    synchronized boolean nextIsStreamed() {
      return streamedCalls < packedCalls;
    }

    synchronized void record(boolean streamed, long nanos) {
      if (decided != null) {
        return;
      }
      if (streamed && streamedCalls <= TRIALS) {
        streamedNs[streamedCalls++] = nanos;
      } else if (!streamed && packedCalls <= TRIALS) {
        packedNs[packedCalls++] = nanos;
      }
      if (packedCalls > TRIALS && streamedCalls > TRIALS) {
        long p = medianOfTimed(packedNs);
        long s = medianOfTimed(streamedNs);
        decided = s < p;
        LOG.debug(
            "{} rows x ({}, {}) weight: W x^T {} us, x W^T {} us; using {}",
            shape.get(0),
            shape.get(1),
            shape.get(2),
            s / 1000,
            p / 1000,
            decided ? "W x^T" : "x W^T");
      }
    }

    /** The median of the calls, the first one left out. */
    private static long medianOfTimed(long[] nanos) {
      long[] timed = Arrays.copyOfRange(nanos, 1, nanos.length);
      Arrays.sort(timed);
      return timed[timed.length / 2];
    }
  }
}
