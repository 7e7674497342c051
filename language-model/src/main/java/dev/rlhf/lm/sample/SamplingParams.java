package dev.rlhf.lm.sample;

import java.util.List;

/**
 * How to pick tokens.
 *
 * @param temperature divides the logits; 0 means greedy (always the most likely token)
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of tokens whose probability reaches p; 1 keeps all
 * @param maxTokens most tokens to generate per completion
 * @param stop text that ends a completion when it appears (not included in the text)
 * @param seed seeds the sampler so the same call gives the same text; null for a random seed
 */
public record SamplingParams(
    float temperature, int topK, float topP, int maxTokens, List<String> stop, Long seed) {

  public SamplingParams {
    if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1 || maxTokens <= 0) {
      throw new IllegalArgumentException(
          "bad sampling parameters: " + temperature + ", " + topK + ", " + topP + ", " + maxTokens);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** Plain sampling at temperature 1 with a fixed seed. */
  public static SamplingParams seeded(int maxTokens, long seed) {
    return new SamplingParams(1f, 0, 1f, maxTokens, List.of(), seed);
  }

  /** Always the most likely token. */
  public static SamplingParams greedy(int maxTokens) {
    return new SamplingParams(0f, 0, 1f, maxTokens, List.of(), 0L);
  }

  public SamplingParams withSeed(long newSeed) {
    return new SamplingParams(temperature, topK, topP, maxTokens, stop, newSeed);
  }

  public SamplingParams withStop(List<String> newStop) {
    return new SamplingParams(temperature, topK, topP, maxTokens, newStop, seed);
  }
}
