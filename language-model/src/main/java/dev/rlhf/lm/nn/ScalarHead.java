package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear map from the hidden state to one number: the reward head (read at the reward read-out
 * token only) and the value head (read at every position) are both this.
 */
public final class ScalarHead extends AbstractBlock {

  private final int nEmbd;
  private final Linear proj;

  public ScalarHead(int nEmbd) {
    this.nEmbd = nEmbd;
    this.proj = addChildBlock("proj", Linear.builder().setUnits(1).optBias(true).build());
  }

  /**
   * @param hidden final hidden states (B, T, C)
   * @return one scalar per position (B, T)
   */
  public NDArray perPosition(ParameterStore ps, NDArray hidden, boolean training) {
    return proj.forward(ps, new NDList(hidden), training).singletonOrThrow().squeeze(2); // (B, T)
  }

  /**
   * @param hidden final hidden states (B, T, C)
   * @param index per sequence, the position to read (e.g. of the reward read-out token)
   * @return one scalar per sequence (B)
   */
  public NDArray atPositions(ParameterStore ps, NDArray hidden, long[] index, boolean training) {
    long b = hidden.getShape().get(0);
    long c = hidden.getShape().get(2);
    NDArray idx =
        hidden.getManager().create(index, new Shape(b, 1, 1)).broadcast(b, 1, c); // (B, 1, C)
    NDArray picked = hidden.gather(idx, 1); // (B, 1, C)
    return perPosition(ps, picked, training).squeeze(1); // (B)
  }

  /** Parameters as {@code <prefix>.weight} (1, C) and {@code <prefix>.bias} (1). */
  public Map<String, Parameter> namedParameters(String prefix) {
    Map<String, Parameter> named = new LinkedHashMap<>();
    proj.getParameters().forEach(p -> named.put(prefix + "." + p.getKey(), p.getValue()));
    return named;
  }

  /** Allocates the head's parameters on {@code manager}'s device. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, 1, nEmbd));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(perPosition(ps, inputs.head(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    proj.initialize(manager, dataType, inputShapes[0]);
  }
}
