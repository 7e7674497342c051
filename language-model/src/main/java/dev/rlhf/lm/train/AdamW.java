package dev.rlhf.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as GPT-2 and nanoGPT train. Decay
 * applies to matrices only; biases, norm gains and other vectors are not decayed.
 *
 * <p>The optimizer owns its moment estimates in its own manager: close it when training ends.
 * Gradients are zeroed after each step, since PyTorch accumulates them across backward passes.
 */
public final class AdamW implements AutoCloseable {

  private static final NDIndex ALL = new NDIndex("...");

  private final List<Slot> slots = new ArrayList<>();
  private final NDManager manager;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private int step;

  private record Slot(NDArray weight, NDArray m, NDArray v, boolean decay) {}

  /**
   * @param parameters what to optimise (marked as requiring gradients here)
   * @param weightDecay decoupled decay per unit learning rate, e.g. 0.1
   */
  public AdamW(
      Map<String, Parameter> parameters,
      float beta1,
      float beta2,
      float epsilon,
      float weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    NDManager parent = parameters.values().iterator().next().getArray().getManager();
    this.manager = parent.newSubManager();
    for (Parameter p : parameters.values()) {
      NDArray w = p.getArray();
      w.setRequiresGradient(true);
      slots.add(
          new Slot(
              w,
              manager.zeros(w.getShape(), w.getDataType()),
              manager.zeros(w.getShape(), w.getDataType()),
              w.getShape().dimension() >= 2));
    }
  }

  /** GPT-style defaults: betas (0.9, 0.95), epsilon 1e-8. */
  public static AdamW gptDefaults(Map<String, Parameter> parameters, float weightDecay) {
    return new AdamW(parameters, 0.9f, 0.95f, 1e-8f, weightDecay);
  }

  /** The weights this optimizer updates, for gradient clipping. */
  public List<NDArray> weights() {
    return slots.stream().map(Slot::weight).toList();
  }

  /**
   * Applies one update with learning rate {@code lr} from the current gradients, then zeroes them.
   */
  public void step(float lr) {
    step++;
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    double stepSize = lr / correction1;
    try (NDScope scope = new NDScope()) {
      for (Slot s : slots) {
        NDArray g = s.weight.getGradient();
        s.m.muli(beta1).addi(g.mul(1 - beta1));
        s.v.muli(beta2).addi(g.square().muli(1 - beta2));
        if (s.decay && weightDecay > 0) {
          s.weight.muli(1 - lr * weightDecay);
        }
        NDArray denom = s.v.div(correction2).sqrt().addi(epsilon);
        s.weight.subi(s.m.div(denom).muli(stepSize));
      }
      scope.suppressNotUsedWarning();
    }
    zeroGradients();
  }

  /**
   * Sets every gradient to 0 (also after a step skipped for a non-finite gradient: subtracting an
   * infinite gradient from itself would leave NaN).
   */
  public void zeroGradients() {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Slot s : slots) {
        s.weight.getGradient().set(ALL, 0f);
      }
    }
  }

  /** Steps taken so far. */
  public int steps() {
    return step;
  }

  @Override
  public void close() {
    manager.close();
  }
}
