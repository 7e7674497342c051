package dev.rlhf.policy.sft;

import java.util.List;
import java.util.UUID;

/**
 * One demonstration encoded by the chat template.
 *
 * @param promptId what the train/validation split is keyed on
 * @param tokens the whole conversation including the response
 * @param lossMask 1 on the assistant's response tokens (and the end-of-turn closing them)
 * @param prompt the tokens to sample a response from, for progress samples
 */
public record SftExample(UUID promptId, int[] tokens, int[] lossMask, int[] prompt) {

  /** Total number of trained tokens in a list of examples. */
  public static long trainedTokens(List<SftExample> examples) {
    long n = 0;
    for (SftExample e : examples) {
      for (int m : e.lossMask()) {
        n += m;
      }
    }
    return n;
  }
}
