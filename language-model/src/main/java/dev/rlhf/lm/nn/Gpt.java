package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPT-2 network: token and position embeddings, a stack of {@link Block}s, a final layer norm
 * and the language-model head. {@link #hidden} exposes the final hidden states so that reward and
 * value heads can read them; {@link #logits} turns them into next-token scores.
 */
public final class Gpt extends AbstractBlock {

  private final GptConfig config;
  private final Parameter wte;
  private final Parameter wpe;
  private final List<Block> blocks = new ArrayList<>();
  private final LayerNorm lnF;
  private final Linear lmHead;

  public Gpt(GptConfig config) {
    this.config = config;
    this.wte =
        addParameter(
            Parameter.builder()
                .setName("wte")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.nEmbd()))
                .build());
    this.wpe =
        addParameter(
            Parameter.builder()
                .setName("wpe")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.blockSize(), config.nEmbd()))
                .build());
    for (int i = 0; i < config.nLayer(); i++) {
      blocks.add(addChildBlock("h." + i, new Block(config)));
    }
    this.lnF = addChildBlock("ln_f", Block.layerNorm(config));
    this.lmHead =
        config.tieWeights()
            ? null
            : addChildBlock(
                "lm_head", Linear.builder().setUnits(config.vocabSize()).optBias(false).build());
    // GPT-2's initialisation: N(0, 0.02) for every matrix; biases 0 and norm gains 1 by default.
    setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
  }

  public GptConfig config() {
    return config;
  }

  /**
   * Runs the network up to the final layer norm.
   *
   * @param tokens token ids (B, T), int or long
   * @param cache past keys/values, extended in place; null to process {@code tokens} alone
   * @return final hidden states (B, T, C)
   */
  public NDArray hidden(ParameterStore ps, NDArray tokens, KvCache cache, boolean training) {
    NDManager m = tokens.getManager();
    long t = tokens.getShape().get(1);
    long past = cache == null ? 0 : cache.length();
    if (past + t > config.blockSize()) {
      throw new IllegalArgumentException(
          "sequence of " + (past + t) + " exceeds the context of " + config.blockSize());
    }
    long[] padding = cache != null && cache.hasPadding() ? cache.leftPadding() : null;
    // Embedding results join the ids' manager, not the weights'.
    NDArray tokEmb = embed(tokens, value(ps, wte, m, training)); // (B, T, C)
    NDArray posEmb =
        padding == null
            // The slice joins the ids' manager: by default it would join the weight's.
            ? Slices.view(value(ps, wpe, m, training), 0, past, past + t, m) // (T, C)
            : embed(positions(m, t, past, padding), value(ps, wpe, m, training)); // (B, T, C)
    long b = tokens.getShape().get(0);
    // Inside the blocks the stream is one row per position, so that every linear map is one fused
    // product with its bias (a (B, T, C) input costs a product and a separate bias add).
    NDArray x = tokEmb.add(posEmb).reshape(b * t, config.nEmbd()); // (B * T, C)
    if (training && config.dropout() > 0) {
      x = Dropout.dropout(x, config.dropout(), true).singletonOrThrow();
    }
    // One new position attending to an unpadded past may attend to all of it: no mask needed.
    NDArray mask = t == 1 && padding == null ? null : CausalMask.bias(m, t, past, padding);
    for (int i = 0; i < blocks.size(); i++) {
      x = blocks.get(i).forward(ps, x, b, mask, cache, i, training); // (B * T, C)
    }
    if (cache != null) {
      cache.advance(Math.toIntExact(t));
    }
    NDArray out = lnF.forward(ps, new NDList(x), training).singletonOrThrow(); // (B * T, C)
    return out.reshape(b, t, config.nEmbd()); // (B, T, C)
  }

  /**
   * @param hidden final hidden states (B, T, C)
   * @return next-token logits (B, T, V)
   */
  public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
    if (lmHead != null) {
      return Products.linear(ps, lmHead, hidden, training); // (B, T, V)
    }
    NDArray w = value(ps, wte, hidden.getManager(), training); // (V, C)
    return Products.linear(hidden, w, null, training); // (B, T, V)
  }

  private static NDArray embed(NDArray ids, NDArray table) {
    return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /** Position ids of left-padded sequences, counted from each sequence's first real token. */
  private static NDArray positions(NDManager m, long t, long past, long[] padding) {
    long[] ids = new long[Math.toIntExact(padding.length * t)];
    for (int b = 0; b < padding.length; b++) {
      for (int i = 0; i < t; i++) {
        ids[Math.toIntExact(b * t + i)] = Math.max(0, past + i - padding[b]);
      }
    }
    return m.create(ids, new Shape(padding.length, t)); // (B, T)
  }

  private static NDArray value(ParameterStore ps, Parameter p, NDManager m, boolean training) {
    return ps.getValue(p, m.getDevice(), training);
  }

  /**
   * Every parameter under its GPT-2 / nanoGPT state-dict name ({@code transformer.h.0.attn.c_attn
   * .weight}, ...). Linear weights keep PyTorch's (out, in) layout. A tied {@code lm_head} is not
   * listed separately.
   */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    named.put("transformer.wte.weight", wte);
    named.put("transformer.wpe.weight", wpe);
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      String p = "transformer.h." + i + ".";
      putNorm(named, p + "ln_1", b.ln1);
      putLinear(named, p + "attn.c_attn", b.attn.cAttn);
      putLinear(named, p + "attn.c_proj", b.attn.cProj);
      putNorm(named, p + "ln_2", b.ln2);
      putLinear(named, p + "mlp.c_fc", b.mlp.cFc);
      putLinear(named, p + "mlp.c_proj", b.mlp.cProj);
    }
    putNorm(named, "transformer.ln_f", lnF);
    if (lmHead != null) {
      putLinear(named, "lm_head", lmHead);
    }
    return named;
  }

  private static void putLinear(Map<String, Parameter> named, String prefix, Linear linear) {
    linear.getParameters().forEach(p -> named.put(prefix + "." + p.getKey(), p.getValue()));
  }

  private static void putNorm(Map<String, Parameter> named, String prefix, LayerNorm norm) {
    norm.getParameters()
        .forEach(
            p ->
                named.put(
                    prefix + ("gamma".equals(p.getKey()) ? ".weight" : ".bias"), p.getValue()));
  }

  /** Allocates every parameter on {@code manager}'s device with GPT-2's initialisation. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, config.blockSize()));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray hidden = hidden(ps, inputs.head(), null, training);
    return new NDList(logits(ps, hidden, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), config.vocabSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape stream = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.nEmbd());
    for (Block block : blocks) {
      block.initialize(manager, dataType, stream);
    }
    lnF.initialize(manager, dataType, stream);
    if (lmHead != null) {
      lmHead.initialize(manager, dataType, stream);
    }
  }
}
