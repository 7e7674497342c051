package dev.rlhf.lm.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.GradMode;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.nn.KvCache;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Samples completions with a KV cache, a whole batch per network call: the per-call overhead
 * dominates small networks, so n completions cost little more than one. A completion ends at {@code
 * <|end|>}, {@code <|endoftext|>}, a stop sequence, {@code maxTokens} or a full context. An
 * interrupt of the generating thread stops it between two steps with a {@link
 * CancellationException} (a client that went away should not keep the batch busy).
 */
public final class Generator {

  private final LanguageModel network;
  private final Tokenizer tokenizer;

  public Generator(LanguageModel network) {
    this.network = network;
    this.tokenizer = network.tokenizer();
  }

  /** {@code n} completions of one prompt, sampled together. */
  public List<Completion> sample(int[] prompt, int n, SamplingParams params) {
    return generate(Collections.nCopies(n, prompt), params, TokenListener.NONE);
  }

  /** {@code n} completions of one prompt, each token told to {@code listener} as it is chosen. */
  public List<Completion> sample(
      int[] prompt, int n, SamplingParams params, TokenListener listener) {
    return generate(Collections.nCopies(n, prompt), params, listener);
  }

  /** One completion per prompt; prompts of different lengths are left-padded and masked. */
  public List<Completion> generate(List<int[]> prompts, SamplingParams params) {
    return generate(prompts, params, TokenListener.NONE);
  }

  /** As {@link #generate(List, SamplingParams)}, telling {@code listener} each token. */
  public List<Completion> generate(
      List<int[]> prompts, SamplingParams params, TokenListener listener) {
    int batch = prompts.size();
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    int budget = Math.min(params.maxTokens(), network.config().blockSize() - longest);
    if (budget <= 0) {
      throw new IllegalArgumentException(
          "prompt of "
              + longest
              + " tokens leaves no room in a context of "
              + network.config().blockSize());
    }
    long[] padding = new long[batch];
    long[] first = new long[batch * longest];
    for (int b = 0; b < batch; b++) {
      int[] p = prompts.get(b);
      padding[b] = longest - p.length;
      for (int i = 0; i < p.length; i++) {
        first[b * longest + longest - p.length + i] = p[i];
      }
    }
    TokenSampler sampler = new TokenSampler(params);
    List<GrowingCompletion> rows = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      rows.add(new GrowingCompletion(tokenizer));
    }
    int stopTurn = tokenizer.specialId(SpecialToken.END_OF_TURN);
    int stopText = tokenizer.specialId(SpecialToken.END_OF_TEXT);
    int vocab = tokenizer.vocabSize();
    try (GradMode.Scope noGraph = GradMode.off();
        KvCache cache = network.newCache(padding)) {
      long[] input = first;
      int width = longest;
      for (int step = 0; step < budget && rows.stream().anyMatch(r -> !r.isFinished()); step++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("generation interrupted after " + step + " steps");
        }
        float[] probabilities = lastProbabilities(input, batch, width, cache, params);
        int v = probabilities.length / batch;
        long[] next = new long[batch];
        for (int b = 0; b < batch; b++) {
          GrowingCompletion row = rows.get(b);
          if (!row.isFinished()) {
            TokenSampler.Choice c = sampler.choose(probabilities, b * v, vocab);
            row.add(c);
            listener.onToken(b, c.token());
            row.stopIfDone(stopTurn, stopText, params.stop());
          }
          next[b] = row.lastToken();
        }
        input = next;
        width = 1;
      }
    }
    return rows.stream().map(r -> r.toCompletion(params.stop())).toList();
  }

  /**
   * Next-token probabilities of every row at the sampling temperature: the softmax runs on the
   * device, so the Java sampler needs no exponential per vocabulary entry (0.6-0.8 ms a row over
   * GPT-2's 50k ids in Java).
   */
  private float[] lastProbabilities(
      long[] input, int batch, int width, KvCache cache, SamplingParams params) {
    try (NDManager step = network.manager().newSubManager()) {
      NDArray ids = step.create(input, new Shape(batch, width)); // (B, T)
      NDArray hidden = network.hidden(ids, cache, false); // (B, T, C)
      NDArray last =
          width == 1 ? hidden : hidden.get(new NDIndex().addAllDim().addSliceDim(width - 1, width));
      NDArray logits = network.logits(last, false); // (B, 1, V)
      float temperature = params.temperature();
      if (temperature > 0 && temperature != 1) {
        logits = logits.div(temperature);
      }
      return logits.softmax(-1).toFloatArray(); // (B, 1, V)
    }
  }
}
