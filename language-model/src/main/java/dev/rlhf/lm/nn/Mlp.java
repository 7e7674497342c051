package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The position-wise feed-forward part of a block: {@code c_fc}, GELU, {@code c_proj}. */
public final class Mlp extends AbstractBlock {

  /** 0.5 (1 + tanh(z)) = sigmoid(2z): GELU's tanh form with one activation op instead of four. */
  private static final double TWO_SQRT_2_OVER_PI = 2 * Math.sqrt(2.0 / Math.PI);

  private static final double CUBIC = 0.044715;

  private final GptConfig config;
  final Linear cFc;
  final Linear cProj;
  // The tanh form's constants as tensors (a Java number would become one every call); null for
  // the exact GELU, which needs none.
  private NDArray linearTerm;
  private NDArray cubicTerm;

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
    NDArray h = Products.linear(ps, cFc, x, training); // (B, T, 4C)
    h = gelu(h, training); // (B, T, 4C)
    h = Products.linear(ps, cProj, h, training); // (B, T, C)
    if (training && config.dropout() > 0) {
      h = Dropout.dropout(h, config.dropout(), true).singletonOrThrow();
    }
    return h;
  }

  /**
   * The exact GELU is the engine's one fused op. GPT-2's tanh approximation, {@code 0.5 x (1 +
   * tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, differs from it by up to ~5e-4, so imported GPT-2
   * weights need it; it is computed as {@code x sigmoid(x (a + b x^2))}, six passes over the
   * activations where the fused op makes one (bench/policy-trainer: 3.8 against 1.2 ms forward at
   * 16 x 61 x 1536).
   */
  NDArray gelu(NDArray x, boolean training) {
    if (config.activation() == GptConfig.Activation.GELU) {
      return Activation.gelu(x);
    }
    if (!training) {
      // Nothing is kept for a backward pass: every intermediate may be overwritten.
      NDArray inner = x.square().muli(cubicTerm).addi(linearTerm).muli(x); // (B, T, 4C)
      return Activation.sigmoid(inner).muli(x); // (B, T, 4C)
    }
    // The in-place add only touches a product whose backward does not need it; everything the
    // backward of mul and sigmoid keeps stays unchanged.
    NDArray inner = x.square().mul(cubicTerm).addi(linearTerm).mul(x); // (B, T, 4C)
    return Activation.sigmoid(inner).mul(x); // (B, T, 4C)
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
    if (config.activation() == GptConfig.Activation.GELU_TANH) {
      linearTerm = manager.create((float) TWO_SQRT_2_OVER_PI);
      cubicTerm = manager.create((float) (TWO_SQRT_2_OVER_PI * CUBIC));
    }
  }
}
