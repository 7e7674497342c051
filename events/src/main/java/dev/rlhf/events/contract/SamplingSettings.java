package dev.rlhf.events.contract;

import java.util.List;

/**
 * How completions are sampled, recorded with every completion so a label can say exactly how the
 * text it judges was produced.
 */
public record SamplingSettings(
    double temperature, double topP, int topK, int maxTokens, List<String> stop, Long seed) {

  public SamplingSettings {
    if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0");
    if (topP <= 0 || topP > 1) throw new IllegalArgumentException("topP must be in (0, 1]");
    if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off)");
    if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1");
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public static SamplingSettings defaults() {
    return new SamplingSettings(1.0, 0.95, 0, 96, List.of(), null);
  }
}
