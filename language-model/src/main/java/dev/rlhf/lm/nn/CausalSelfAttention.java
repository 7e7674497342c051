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
  // 1/sqrt(head size) as a tensor: multiplying by a Java number would create one every call.
  private NDArray scale;

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
   * @param x input, one row per position: (B * T, C), sequence by sequence
   * @param batch B, the number of sequences
   * @param maskBias 0 where attending is allowed, a large negative number elsewhere (B|1, 1, T,
   *     Tk); null when every query may attend every key
   * @param cache past keys and values, or null to attend within {@code x} only
   * @param layer index of this block, to find its slot in the cache
   * @return output (B * T, C)
   */
  public NDArray forward(
      ParameterStore ps,
      NDArray x,
      long batch,
      NDArray maskBias,
      KvCache cache,
      int layer,
      boolean training) {
    long b = batch;
    long t = x.getShape().get(0) / b;
    long nh = config.nHead();
    long hs = config.headSize();
    NDArray qkv = Products.linear(ps, cAttn, x, training); // (B * T, 3C)
    // Heads are split with one reshape and one permute; the leading axis of 1 left by the split
    // is kept rather than squeezed away (each squeeze is another native call per layer and step).
    NDList split = qkv.reshape(b, t, 3, nh, hs).transpose(2, 0, 3, 1, 4).split(3, 0);
    NDArray q = split.get(0); // (1, B, nh, T, hs)
    NDArray k = split.get(1); // (1, B, nh, T, hs)
    NDArray v = split.get(2); // (1, B, nh, T, hs)
    NDArray kT;
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v);
      kT = kv[0]; // (1, B, nh, hs, Tk)
      v = kv[1]; // (1, B, nh, Tk, hs)
    } else {
      kT = k.transpose(0, 1, 2, 4, 3); // (1, B, nh, hs, T)
    }
    NDArray att = q.matMul(kT).muli(scale); // (1, B, nh, T, Tk)
    if (maskBias != null) {
      att = att.addi(maskBias); // (1, B, nh, T, Tk)
    }
    att = att.softmax(-1); // (1, B, nh, T, Tk)
    if (training && config.dropout() > 0) {
      att = Dropout.dropout(att, config.dropout(), true).singletonOrThrow(); // (1, B, nh, T, Tk)
    }
    NDArray y = att.matMul(v); // (1, B, nh, T, hs)
    y = y.transpose(0, 1, 3, 2, 4).reshape(b * t, nh * hs); // (B * T, C)
    y = Products.linear(ps, cProj, y, training); // (B * T, C)
    if (training && config.dropout() > 0) {
      y = Dropout.dropout(y, config.dropout(), true).singletonOrThrow();
    }
    return y;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return Block.onSequences(
        inputs.head(), (rows, batch, mask) -> forward(ps, rows, batch, mask, null, 0, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    cAttn.initialize(manager, dataType, inputShapes[0]);
    cProj.initialize(manager, dataType, inputShapes[0]);
    scale = manager.create((float) (1.0 / Math.sqrt(config.headSize())));
  }
}
