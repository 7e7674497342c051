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
import java.util.List;

/**
 * Sequences of many requests decoded together, one token for every row a step (continuous
 * batching): a request {@link #admit joins} between two steps, and its rows leave as they finish,
 * so one network call serves every request in flight.
 *
 * <p>Rows of different lengths share one KV cache, left-padded: each row is right-aligned on the
 * cache's time axis, its padding masked and its positions counted from its own first token. When
 * rows join or leave, the cache is {@link KvCache#gather gathered} anew before the next step (a
 * copy of the cache, once per change of membership, not per step); leading positions that are
 * padding in every row are dropped then, so the time axis is as long as the longest row. Rows that
 * ended are carried, unused, until rows join or a quarter of the batch has ended.
 *
 * <p>A request is prefilled on its own (its prompt once; its n rows share that cache row) and
 * samples with its own {@link TokenSampler}, seeded from its parameters, which its rows consume in
 * their order exactly as {@link Generator} does. What other requests share the batch changes only
 * the shapes of the products: the floats of a row's probabilities may then differ in their last
 * bits, never the random draws. Not thread-safe: one thread admits and steps.
 */
public final class DecodingBatch implements AutoCloseable {

  /** Rows that ended may make up this share of a step before the cache is gathered anew. */
  private static final int MOST_ENDED_SHARE_PERCENT = 25;

  private final LanguageModel network;
  private final Tokenizer tokenizer;
  private final int endOfTurn;
  private final int endOfText;
  private final int vocab;
  private final int stride;
  private final List<Row> rows = new ArrayList<>();
  private final List<Row> joining = new ArrayList<>();
  private final List<KvCache> prefilled = new ArrayList<>();
  private KvCache cache;
  private boolean changed;

  public DecodingBatch(LanguageModel network) {
    this.network = network;
    this.tokenizer = network.tokenizer();
    this.endOfTurn = tokenizer.specialId(SpecialToken.END_OF_TURN);
    this.endOfText = tokenizer.specialId(SpecialToken.END_OF_TEXT);
    this.vocab = tokenizer.vocabSize();
    // The network's vocabulary may be larger than the tokenizer's (padded); rows are this far
    // apart.
    this.stride = network.config().vocabSize();
  }

  public LanguageModel network() {
    return network;
  }

  /** One request's {@code n} completions of one prompt, being decoded in a batch. */
  public static final class Request {

    private final SamplingParams params;
    private final TokenListener listener;
    private final TokenSampler sampler;
    private final List<GrowingCompletion> completions = new ArrayList<>();
    private final int budget;
    private boolean removed;

    private Request(
        SamplingParams params, TokenListener listener, int n, int budget, Tokenizer tokenizer) {
      this.params = params;
      this.listener = listener;
      this.sampler = new TokenSampler(params);
      this.budget = budget;
      for (int i = 0; i < n; i++) {
        completions.add(new GrowingCompletion(tokenizer));
      }
    }

    /** Whether every completion has ended. */
    public boolean isFinished() {
      return completions.stream().allMatch(GrowingCompletion::isFinished);
    }

    /** The completions in their order; those still running are cut where they are. */
    public List<Completion> completions() {
      return completions.stream().map(c -> c.toCompletion(params.stop())).toList();
    }

    /** Tokens sampled so far, all completions together. */
    public int tokens() {
      return completions.stream().mapToInt(GrowingCompletion::length).sum();
    }
  }

  /** One row of the batch: a completion of a request. */
  private record Row(Request request, int index, KvCache.RowOf source) {
    GrowingCompletion completion() {
      return request.completions.get(index);
    }
  }

  /**
   * Prefills {@code prompt} and samples the first token of each of its {@code n} completions; the
   * rows join the batch at the next {@link #step}. A request whose completions all end at once (one
   * token asked, or an end token first) is finished on return and never joins.
   *
   * @param prompt shorter than the network's context
   */
  public Request admit(int[] prompt, int n, SamplingParams params, TokenListener listener) {
    int budget = Math.min(params.maxTokens(), network.config().blockSize() - prompt.length);
    if (budget <= 0 || n < 1) {
      throw new IllegalArgumentException(
          "prompt of " + prompt.length + " tokens leaves no room, or n = " + n);
    }
    Request request = new Request(params, listener, n, budget, tokenizer);
    KvCache own = network.newCache(1);
    try (GradMode.Scope noGraph = GradMode.off()) {
      long[] ids = new long[prompt.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = prompt[i];
      }
      float[] probabilities = probabilities(ids, 1, prompt.length, own, new Request[] {request});
      for (int i = 0; i < n; i++) {
        sampleAndCheck(request, i, probabilities, 0);
      }
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
    if (request.isFinished()) {
      own.close();
      return request;
    }
    prefilled.add(own);
    for (int i = 0; i < n; i++) {
      if (!request.completions.get(i).isFinished()) {
        joining.add(new Row(request, i, new KvCache.RowOf(own, 0)));
      }
    }
    changed = true;
    return request;
  }

  /** Drops {@code request}'s rows before the next step (its client went away). */
  public void remove(Request request) {
    request.removed = true;
    changed = true;
  }

  /** Rows that the next step decodes. */
  public int rows() {
    int count = 0;
    for (Row r : joining) {
      if (!r.request.removed) {
        count++;
      }
    }
    for (Row r : rows) {
      if (!r.completion().isFinished() && !r.request.removed) {
        count++;
      }
    }
    return count;
  }

  public boolean isEmpty() {
    return rows() == 0;
  }

  /** Samples one more token for every unfinished row; does nothing when there is none. */
  public void step() {
    try (GradMode.Scope noGraph = GradMode.off()) {
      regather();
      if (rows.isEmpty()) {
        return;
      }
      int batch = rows.size();
      long[] input = new long[batch];
      Request[] requests = new Request[batch];
      for (int b = 0; b < batch; b++) {
        input[b] = rows.get(b).completion().lastToken();
        requests[b] = rows.get(b).request;
      }
      float[] probabilities = probabilities(input, batch, 1, cache, requests);
      for (int b = 0; b < batch; b++) {
        Row row = rows.get(b);
        // A row that ended stays until the next regather, its step computed and unused.
        if (!row.completion().isFinished()) {
          sampleAndCheck(row.request, row.index, probabilities, b * stride);
        }
      }
    }
  }

  private void sampleAndCheck(Request request, int index, float[] probabilities, int from) {
    GrowingCompletion c = request.completions.get(index);
    TokenSampler.Choice choice = request.sampler.choose(probabilities, from, vocab);
    c.add(choice);
    request.listener.onToken(index, choice.token());
    c.stopIfDone(endOfTurn, endOfText, request.params.stop());
    if (!c.isFinished() && c.length() >= request.budget) {
      c.finish(FinishReason.LENGTH);
    }
  }

  /**
   * Rebuilds the cache when rows joined or were removed since the last step, when more than {@value
   * #MOST_ENDED_SHARE_PERCENT}% of its rows have ended, or when the context is full. Rows that
   * ended are dropped at the next rebuild rather than at once: with clients that send their next
   * request as soon as one is answered, a row ending is soon followed by one joining, and one
   * gather serves both.
   */
  private void regather() {
    long ended = rows.stream().filter(r -> r.completion().isFinished()).count();
    boolean full = cache != null && cache.remaining() < 1;
    if (!changed && ended * 100 <= (long) MOST_ENDED_SHARE_PERCENT * rows.size() && !full) {
      return;
    }
    List<Row> kept = new ArrayList<>();
    for (int b = 0; b < rows.size(); b++) {
      Row r = rows.get(b);
      if (!r.completion().isFinished() && !r.request.removed) {
        kept.add(new Row(r.request, r.index, new KvCache.RowOf(cache, b)));
      }
    }
    for (Row r : joining) {
      if (!r.request.removed) {
        kept.add(r);
      }
    }
    KvCache next =
        kept.isEmpty()
            ? null
            : KvCache.gather(network.manager(), kept.stream().map(Row::source).toList());
    if (cache != null) {
      cache.close();
    }
    prefilled.forEach(KvCache::close);
    prefilled.clear();
    joining.clear();
    rows.clear();
    rows.addAll(kept);
    cache = next;
    changed = false;
  }

  /**
   * Next-token probabilities of every row at its request's temperature (temperature 1 for greedy
   * rows, as in {@link Generator}); the softmax runs on the device.
   */
  private float[] probabilities(
      long[] input, int batch, int width, KvCache kv, Request[] requests) {
    try (NDManager step = network.manager().newSubManager()) {
      NDArray ids = step.create(input, new Shape(batch, width)); // (B, T)
      NDArray hidden = network.hidden(ids, kv, false); // (B, T, C)
      NDArray last =
          width == 1 ? hidden : hidden.get(new NDIndex().addAllDim().addSliceDim(width - 1, width));
      NDArray logits = network.logits(last, false); // (B, 1, V)
      float[] temperatures = new float[batch];
      boolean scaled = false;
      for (int b = 0; b < batch; b++) {
        float t = requests[b].params.temperature();
        temperatures[b] = t > 0 ? t : 1f;
        scaled |= temperatures[b] != 1f;
      }
      if (scaled) {
        logits = logits.div(step.create(temperatures, new Shape(batch, 1, 1))); // (B, 1, V)
      }
      return logits.softmax(-1).toFloatArray(); // (B, 1, V)
    }
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
      cache = null;
    }
    prefilled.forEach(KvCache::close);
    prefilled.clear();
    joining.clear();
    rows.clear();
  }
}
