package dev.rlhf.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.List;

/** Scales gradients down so their global L2 norm is at most a bound, as GPT training does. */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * @param weights arrays whose gradients to clip in place
   * @param maxNorm bound on the global norm (e.g. 1.0)
   * @return the global norm before clipping (worth logging: spikes show instability); when it is
   *     not finite the gradients are left alone and the caller should skip the step
   */
  public static float clip(List<NDArray> weights, float maxNorm) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // One norm per tensor reads each gradient once; squaring and summing would first write
      // a squared copy of every gradient.
      NDList norms = new NDList(weights.size());
      for (NDArray w : weights) {
        norms.add(w.getGradient().norm());
      }
      float norm = NDArrays.stack(norms).norm().getFloat();
      if (Float.isFinite(norm) && norm > maxNorm) {
        float scale = maxNorm / (norm + 1e-6f);
        for (NDArray w : weights) {
          w.getGradient().muli(scale);
        }
      }
      return norm;
    }
  }
}
