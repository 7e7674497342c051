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

/**
 * Multi-head masked self-attention, written out (DJL has no causal language-model block): one fused
 * projection {@code c_attn} gives queries, keys and values; {@code c_proj} mixes the heads.
 */
public final class CausalSelfAttention extends AbstractBlock {

  private final GptConfig config;
  final Linear cAttn;
  final Linear cProj;

  public CausalSelfAttention(GptConfig config) {
    this.config = config;
    this.cAttn =
        addChildBlock(
            "c_attn",
            Linear.builder().setUnits(3L * config.nEmbd()).optBias(config.bias()).build());
    this.cProj =
        addChildBlock(
            "c_proj", Linear.builder().setUnits(config.nEmbd()).optBias(config.bias()).build());
  }

  /**
   * @param x input (B, T, C)
   * @param maskBias 0 where attending is allowed, a large negative number elsewhere (B|1, 1, T, Tk)
   * @param cache past keys and values, or null to attend within {@code x} only
   * @param layer index of this block, to find its slot in the cache
   * @return output (B, T, C)
   */
  public NDArray forward(
      ParameterStore ps, NDArray x, NDArray maskBias, KvCache cache, int layer, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long nh = config.nHead();
    long hs = config.headSize();
    NDArray qkv = cAttn.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, 3C)
    NDList split = qkv.split(3, 2); // 3 x (B, T, C)
    NDArray q = heads(split.get(0), b, t, nh, hs); // (B, nh, T, hs)
    NDArray k = heads(split.get(1), b, t, nh, hs); // (B, nh, T, hs)
    NDArray v = heads(split.get(2), b, t, nh, hs); // (B, nh, T, hs)
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v);
      k = kv[0]; // (B, nh, Tk, hs)
      v = kv[1]; // (B, nh, Tk, hs)
    }
    NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).muli(1.0 / Math.sqrt(hs)); // (B, nh, T, Tk)
    att = att.addi(maskBias).softmax(-1); // (B, nh, T, Tk)
    if (training && config.dropout() > 0) {
      att = Dropout.dropout(att, config.dropout(), true).singletonOrThrow(); // (B, nh, T, Tk)
    }
    NDArray y = att.matMul(v); // (B, nh, T, hs)
    y = y.transpose(0, 2, 1, 3).reshape(b, t, nh * hs); // (B, T, C)
    y = cProj.forward(ps, new NDList(y), training).singletonOrThrow(); // (B, T, C)
    if (training && config.dropout() > 0) {
      y = Dropout.dropout(y, config.dropout(), true).singletonOrThrow();
    }
    return y;
  }

  private static NDArray heads(NDArray x, long b, long t, long nh, long hs) {
    return x.reshape(b, t, nh, hs).transpose(0, 2, 1, 3); // (B, nh, T, hs)
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    long t = x.getShape().get(1);
    try (NDArray mask = CausalMask.bias(x.getManager(), t, 0, null)) {
      return new NDList(forward(ps, x, mask, null, 0, training));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    cAttn.initialize(manager, dataType, inputShapes[0]);
    cProj.initialize(manager, dataType, inputShapes[0]);
  }
}
