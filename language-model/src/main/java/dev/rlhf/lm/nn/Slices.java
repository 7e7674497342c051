package dev.rlhf.lm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A range of positions along one axis, read as a view or written in place, for the per-step slicing
 * of decoding (the KV cache, the position embeddings).
 *
 * <p>{@link NDArray#get(NDIndex)} and {@link NDArray#set(NDIndex, Object)} turn an index into one
 * engine slice per axis of the array, full axes included, and {@code set} first reshapes and
 * broadcasts the value: writing and reading one layer's keys and values of a (1, B, nh, T, hs)
 * cache took some 20 slice ops a step, more than any other op of a tiny network's decoding step. On
 * PyTorch arrays this class slices the one axis directly and writes through an index of an ellipsis
 * and that axis; other engines get the generic index.
 */
final class Slices {

  private Slices() {}

  /**
   * @return a view of positions {@code from} to {@code to} of {@code axis} (a non-negative index),
   *     attached to {@code owner}
   */
  static NDArray view(NDArray array, int axis, long from, long to, NDManager owner) {
    if (array instanceof PtNDArray) {
      NDArray view = JniUtils.slice((PtNDArray) array, axis, from, to, 1);
      view.attach(owner);
      return view;
    }
    return array.get(owner, new NDIndex().addAllDim(axis).addSliceDim(from, to));
  }

  /**
   * Copies {@code value} into {@code array} at positions {@code from} onwards of {@code axis}; the
   * other axes of both have the same extents.
   */
  static void write(NDArray array, int axis, long from, NDArray value) {
    long to = from + value.getShape().get(axis);
    if (array instanceof PtNDArray && value instanceof PtNDArray) {
      NDIndex index = new NDIndex().addEllipseDim().addSliceDim(from, to);
      for (int after = axis + 1; after < array.getShape().dimension(); after++) {
        index.addAllDim();
      }
      JniUtils.indexAdvPut((PtNDArray) array, index, (PtNDArray) value);
      return;
    }
    array.set(new NDIndex().addAllDim(axis).addSliceDim(from, to), value);
  }

  /**
   * Copies {@code value} into {@code array} at positions {@code fromA} onwards of {@code axisA} and
   * {@code fromB} onwards of {@code axisB}; the other axes of both have the same extents.
   */
  static void write(NDArray array, int axisA, long fromA, int axisB, long fromB, NDArray value) {
    NDIndex index = new NDIndex();
    for (int axis = 0; axis < array.getShape().dimension(); axis++) {
      long from = axis == axisA ? fromA : axis == axisB ? fromB : -1;
      if (from < 0) {
        index.addAllDim();
      } else {
        index.addSliceDim(from, from + value.getShape().get(axis));
      }
    }
    if (array instanceof PtNDArray && value instanceof PtNDArray) {
      JniUtils.indexAdvPut((PtNDArray) array, index, (PtNDArray) value);
      return;
    }
    array.set(index, value);
  }
}
