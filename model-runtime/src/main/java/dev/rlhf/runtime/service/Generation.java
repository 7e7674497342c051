package dev.rlhf.runtime.service;

import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.List;

/**
 * The answer to one request: which version produced it, with which parameters.
 *
 * @param promptTokens length of the encoded prompt
 * @param tokenizer the version's tokenizer, to split texts into tokens for streaming
 */
public record Generation(
    String version,
    int promptTokens,
    SamplingParams params,
    List<Completion> completions,
    Tokenizer tokenizer) {

  public int completionTokens() {
    return completions.stream().mapToInt(c -> c.tokens().length).sum();
  }
}
