package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The position-wise feed-forward part of a block: {@code c_fc}, GELU, {@code c_proj}. */
public final class Mlp extends AbstractBlock {

  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private final GptConfig config;
  final Linear cFc;
  final Linear cProj;

  public Mlp(GptConfig config) {
    this.config = config;
    this.cFc =
        addChildBlock(
            "c_fc", Linear.builder().setUnits(4L * config.nEmbd()).optBias(config.bias()).build());
    this.cProj =
        addChildBlock(
            "c_proj", Linear.builder().setUnits(config.nEmbd()).optBias(config.bias()).build());
  }

  /**
   * @param x input (B, T, C)
   * @return output (B, T, C)
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray h = cFc.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, 4C)
    h = gelu(h); // (B, T, 4C)
    h = cProj.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, T, C)
    if (training && config.dropout() > 0) {
      h = Dropout.dropout(h, config.dropout(), true).singletonOrThrow();
    }
    return h;
  }

  /**
   * GPT-2's tanh approximation of GELU. DJL's {@code Activation.gelu} is the exact erf form, which
   * differs by up to ~1e-3 and would break parity with imported GPT-2 weights.
   */
  static NDArray gelu(NDArray x) {
    // No in-place ops here: tanh's backward needs its output unchanged. x*x*x rather than
    // pow(3): DJL's pow takes a tensor exponent, whose backward is slower.
    NDArray inner = x.mul(x).mul(x).mul(0.044715).add(x).mul(SQRT_2_OVER_PI).tanh();
    return inner.add(1).mul(x).mul(0.5);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    cFc.initialize(manager, dataType, in);
    cProj.initialize(manager, dataType, cFc.getOutputShapes(new Shape[] {in})[0]);
  }
}
