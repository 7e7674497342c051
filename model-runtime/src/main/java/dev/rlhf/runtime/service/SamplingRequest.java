package dev.rlhf.runtime.service;

import java.util.List;

/**
 * Sampling parameters as a caller gave them, before validation; null means "not given".
 *
 * @param temperature 0 is greedy
 * @param topP nucleus mass in (0, 1]
 * @param topK keep only the k most likely tokens; 0 or null keeps all
 * @param maxTokens tokens to generate at most per completion
 * @param stop texts that end a completion
 * @param seed makes sampling reproducible
 */
public record SamplingRequest(
    Integer n,
    Double temperature,
    Double topP,
    Integer topK,
    Integer maxTokens,
    List<String> stop,
    Long seed) {

  static final int DEFAULT_MAX_TOKENS = 64;

  public int nOrDefault() {
    return n == null ? 1 : n;
  }

  public double temperatureOrDefault() {
    return temperature == null ? 1.0 : temperature;
  }

  double topPOrDefault() {
    return topP == null ? 1.0 : topP;
  }

  int topKOrNone() {
    return topK == null ? 0 : topK;
  }

  List<String> stopOrNone() {
    return stop == null ? List.of() : stop;
  }
}
