package dev.rlhf.runtime.service;

import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.sample.TokenListener;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.runtime.registry.Lease;
import dev.rlhf.runtime.registry.VersionRegistry;
import dev.rlhf.runtime.service.GenerationQueue.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Function;

/**
 * Samples completions from a policy version: validates the request against that version's context,
 * holds a lease on the version for the whole generation (so a hot swap cannot close it underneath)
 * and runs the work through the bounded {@link GenerationQueue}, whose decoding loop batches it
 * with the other requests in flight. HTTP requests and Kafka requests wait in separate queues.
 */
@ApplicationScoped
public class CompletionService {

  public static final int MAX_N = 16;

  private final VersionRegistry registry;
  private final GenerationQueue queue;
  private final Counter generatedTokens;
  private final DistributionSummary tokensPerSecond;

  CompletionService(VersionRegistry registry, GenerationQueue queue, MeterRegistry meters) {
    this.registry = registry;
    this.queue = queue;
    this.generatedTokens =
        Counter.builder("rlhf.runtime.generated.tokens")
            .description("tokens sampled, all versions")
            .register(meters);
    this.tokensPerSecond =
        DistributionSummary.builder("rlhf.runtime.generation.tokens.per.second")
            .description("sampled tokens per second of generation, per request")
            .register(meters);
  }

  /**
   * Continues a document. The prompt follows {@code <|endoftext|>}, as every document did in
   * pretraining, so a base network reads it as the start of a document.
   */
  public Generation complete(String version, String prompt, SamplingRequest sampling) {
    return startCompletion(version, prompt, sampling, TokenListener.NONE).result().await();
  }

  /** Answers the last turn of a conversation, encoded with the chat template. */
  public Generation chat(String version, List<Turn> conversation, SamplingRequest sampling) {
    return startChat(version, conversation, sampling, TokenListener.NONE).result().await();
  }

  /**
   * Answers a conversation for a requester that cannot know the version's context (a completion
   * request on Kafka names its sampling before any version is chosen): a {@code maxTokens} beyond
   * the context means as many tokens as the context holds, where HTTP callers get a 400.
   */
  public Generation chatWithinContext(
      String version, List<Turn> conversation, SamplingRequest sampling) {
    return startChat(version, conversation, sampling, TokenListener.NONE, Source.KAFKA)
        .result()
        .await();
  }

  /**
   * Queues a {@link #complete} whose tokens {@code listener} hears as they are sampled. Bad input,
   * an unknown version and a full queue are refused here, before anything is queued.
   */
  public Started startCompletion(
      String version, String prompt, SamplingRequest sampling, TokenListener listener) {
    if (prompt == null || prompt.isEmpty()) {
      throw new InvalidRequestException("prompt", "prompt must not be empty");
    }
    return start(
        version,
        "prompt",
        network -> {
          int[] text = network.tokenizer().encodeOrdinary(prompt);
          int[] tokens = new int[text.length + 1];
          tokens[0] = network.tokenizer().specialId(SpecialToken.END_OF_TEXT);
          System.arraycopy(text, 0, tokens, 1, text.length);
          return tokens;
        },
        sampling,
        listener,
        Source.HTTP);
  }

  /** As {@link #startCompletion}, for {@link #chat}. */
  public Started startChat(
      String version, List<Turn> conversation, SamplingRequest sampling, TokenListener listener) {
    return startChat(version, conversation, sampling, listener, Source.HTTP);
  }

  private Started startChat(
      String version,
      List<Turn> conversation,
      SamplingRequest sampling,
      TokenListener listener,
      Source source) {
    if (conversation == null || conversation.isEmpty()) {
      throw new InvalidRequestException("messages", "messages must not be empty");
    }
    return start(
        version,
        "messages",
        network -> network.chatTemplate().promptForCompletion(conversation),
        sampling,
        listener,
        source);
  }

  /**
   * A generation that was accepted: what serves it is known at once, its completions later.
   *
   * @param tokenizer the version's tokenizer, to turn streamed tokens into text
   */
  public record Started(
      String version,
      Tokenizer tokenizer,
      SamplingParams params,
      int n,
      GenerationQueue.Job<Generation> result) {}

  private Started start(
      String version,
      String promptField,
      Function<LanguageModel, int[]> encode,
      SamplingRequest sampling,
      TokenListener listener,
      Source source) {
    // A completion request on Kafka names its sampling before any version is chosen.
    boolean withinContext = source == Source.KAFKA;
    int n = sampling.nOrDefault();
    if (n < 1 || n > MAX_N) {
      throw new InvalidRequestException("n", "n must be between 1 and " + MAX_N);
    }
    // The lease is handed to the queued work, which gives it back when the work is over.
    Lease lease = registry.lease(version);
    try {
      LanguageModel network = lease.network();
      int[] prompt = encode.apply(network);
      SamplingParams params = params(sampling, network.config().blockSize(), withinContext);
      if (prompt.length >= network.config().blockSize()) {
        throw new InvalidRequestException(
            promptField,
            "the prompt is "
                + prompt.length
                + " tokens; the context of "
                + lease.versionName()
                + " holds "
                + network.config().blockSize());
      }
      GenerationQueue.Job<Generation> job =
          queue.submit(
              source,
              new GenerationQueue.Task(network, prompt, n, params, listener),
              (completions, nanos) -> {
                Generation g =
                    new Generation(
                        lease.versionName(),
                        prompt.length,
                        params,
                        completions,
                        network.tokenizer());
                record(g.completionTokens(), nanos);
                return g;
              },
              lease::close);
      return new Started(lease.versionName(), network.tokenizer(), params, n, job);
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  private void record(int tokens, long nanos) {
    generatedTokens.increment(tokens);
    if (nanos > 0) {
      tokensPerSecond.record(tokens * 1e9 / nanos);
    }
  }

  private static SamplingParams params(SamplingRequest s, int context, boolean withinContext) {
    double temperature = s.temperatureOrDefault();
    if (!(temperature >= 0)) {
      throw new InvalidRequestException("temperature", "temperature must be >= 0");
    }
    double topP = s.topPOrDefault();
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidRequestException("top_p", "top_p must be in (0, 1]");
    }
    int maxTokens =
        s.maxTokens() == null
            ? Math.min(SamplingRequest.DEFAULT_MAX_TOKENS, context)
            : s.maxTokens();
    if (withinContext) {
      maxTokens = Math.min(maxTokens, context);
    }
    if (maxTokens < 1 || maxTokens > context) {
      throw new InvalidRequestException(
          "max_tokens", "max_tokens must be between 1 and the context length " + context);
    }
    List<String> stop = s.stopOrNone();
    if (stop.stream().anyMatch(String::isEmpty)) {
      throw new InvalidRequestException("stop", "stop sequences must not be empty");
    }
    if (s.topKOrNone() < 0) {
      throw new InvalidRequestException("top_k", "top_k must be >= 0");
    }
    return new SamplingParams(
        (float) temperature, s.topKOrNone(), (float) topP, maxTokens, stop, s.seed());
  }
}
