package dev.rlhf.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences of different lengths right-padded into one (B, T) array. Right padding keeps every real
 * token at its own position, and the causal mask keeps pads from influencing real tokens, so no
 * attention mask is needed: pads only have to be masked out of losses.
 *
 * @param tokens (B, T) ids, row-major
 * @param lengths real length of each row
 */
public record PaddedBatch(long[] tokens, int[] lengths, int width) {

  public static PaddedBatch of(List<int[]> sequences, int padId) {
    int width = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
    long[] tokens = new long[sequences.size() * width];
    int[] lengths = new int[sequences.size()];
    for (int b = 0; b < sequences.size(); b++) {
      int[] s = sequences.get(b);
      lengths[b] = s.length;
      for (int i = 0; i < width; i++) {
        tokens[b * width + i] = i < s.length ? s[i] : padId;
      }
    }
    return new PaddedBatch(tokens, lengths, width);
  }

  public int rows() {
    return lengths.length;
  }

  public NDArray toArray(NDManager manager) {
    return manager.create(tokens, new Shape(rows(), width)); // (B, T)
  }
}
