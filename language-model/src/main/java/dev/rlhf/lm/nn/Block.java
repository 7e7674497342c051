package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One transformer block with pre-LayerNorm residual branches, as in GPT-2. */
public final class Block extends AbstractBlock {

  private static final float LAYER_NORM_EPSILON = 1e-5f;

  final LayerNorm ln1;
  final CausalSelfAttention attn;
  final LayerNorm ln2;
  final Mlp mlp;

  public Block(GptConfig config) {
    this.ln1 = addChildBlock("ln_1", layerNorm(config));
    this.attn = addChildBlock("attn", new CausalSelfAttention(config));
    this.ln2 = addChildBlock("ln_2", layerNorm(config));
    this.mlp = addChildBlock("mlp", new Mlp(config));
  }

  /** Normalizes over the channel axis of (B, T, C) inputs. */
  static LayerNorm layerNorm(GptConfig config) {
    return LayerNorm.builder()
        .axis(2)
        .optCenter(config.bias())
        .optEpsilon(LAYER_NORM_EPSILON)
        .build();
  }

  /**
   * @param x residual stream, one row per position: (B * T, C), sequence by sequence
   * @param batch B, the number of sequences
   * @return residual stream (B * T, C)
   */
  public NDArray forward(
      ParameterStore ps,
      NDArray x,
      long batch,
      NDArray maskBias,
      KvCache cache,
      int layer,
      boolean training) {
    NDArray a = ln1.forward(ps, new NDList(x), training).singletonOrThrow(); // (B * T, C)
    x = x.add(attn.forward(ps, a, batch, maskBias, cache, layer, training)); // (B * T, C)
    NDArray m = ln2.forward(ps, new NDList(x), training).singletonOrThrow(); // (B * T, C)
    NDArray out = mlp.forward(ps, m, training); // (B * T, C)
    // x is this block's own sum by now; outside training nothing keeps it for a backward pass.
    return training ? x.add(out) : x.addi(out); // (B * T, C)
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return onSequences(
        inputs.head(), (rows, batch, mask) -> forward(ps, rows, batch, mask, null, 0, training));
  }

  /** A forward over rows of positions: (B * T, C) in and out, under a mask of T positions. */
  interface RowsForward {
    NDArray apply(NDArray rows, long batch, NDArray maskBias);
  }

  /**
   * Runs {@code forward} on (B, T, C) sequences attending causally within themselves, as the
   * generic block API hands them: as rows, and back to (B, T, C).
   */
  static NDList onSequences(NDArray x, RowsForward forward) {
    Shape s = x.getShape();
    try (NDArray mask = CausalMask.bias(x.getManager(), s.get(1), 0, null)) {
      return new NDList(forward.apply(x.reshape(-1, s.get(2)), s.get(0), mask).reshape(s));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (AbstractBlock child : new AbstractBlock[] {ln1, attn, ln2, mlp}) {
      child.initialize(manager, dataType, inputShapes[0]);
    }
  }
}
