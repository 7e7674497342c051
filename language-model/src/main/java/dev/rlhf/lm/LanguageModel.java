package dev.rlhf.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.rlhf.lm.nn.Gpt;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.nn.KvCache;
import dev.rlhf.lm.nn.ScalarHead;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GPT network with its tokenizer and optional reward / value heads, owning the native memory of
 * its parameters. Only parameters live on its manager: callers run each step's computation in an
 * {@code NDScope} or a sub-manager of {@link #manager()}, so intermediates are freed per step.
 */
public final class LanguageModel implements AutoCloseable {

  /** Checkpoint name prefix of the reward head's parameters. */
  public static final String REWARD_HEAD = "reward_head";

  /** Checkpoint name prefix of the value head's parameters. */
  public static final String VALUE_HEAD = "value_head";

  private final NDManager manager;
  private final Gpt gpt;
  private final Tokenizer tokenizer;
  private final ParameterStore parameterStore;
  private ScalarHead rewardHead;
  private ScalarHead valueHead;

  private LanguageModel(NDManager manager, GptConfig config, Tokenizer tokenizer) {
    if (config.vocabSize() < tokenizer.vocabSize()) {
      throw new IllegalArgumentException(
          "vocabulary of " + config.vocabSize() + " is smaller than tokenizer " + tokenizer.name());
    }
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.gpt = new Gpt(config);
    gpt.initialize(manager);
    this.parameterStore = new ParameterStore(manager, false);
  }

  /** A freshly initialised network on {@code device}. */
  public static LanguageModel create(GptConfig config, Tokenizer tokenizer, Device device) {
    NDManager manager = NDManager.newBaseManager(device);
    try {
      return new LanguageModel(manager, config, tokenizer);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public GptConfig config() {
    return gpt.config();
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ChatTemplate chatTemplate() {
    return new ChatTemplate(tokenizer);
  }

  /** The network itself, for callers that need DJL's {@code Block} API. */
  public Gpt gpt() {
    return gpt;
  }

  /** Manager owning the parameters; per-step work belongs in a sub-manager of it. */
  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Adds a freshly initialised reward head if there is none; returns it. */
  public ScalarHead addRewardHead() {
    if (rewardHead == null) {
      rewardHead = newHead();
    }
    return rewardHead;
  }

  /** Adds a freshly initialised value head if there is none; returns it. */
  public ScalarHead addValueHead() {
    if (valueHead == null) {
      valueHead = newHead();
    }
    return valueHead;
  }

  public boolean hasRewardHead() {
    return rewardHead != null;
  }

  public boolean hasValueHead() {
    return valueHead != null;
  }

  private ScalarHead newHead() {
    ScalarHead head = new ScalarHead(config().nEmbd());
    head.initialize(manager);
    return head;
  }

  /**
   * @param tokens (B, T) token ids on this model's device
   * @param cache past keys/values to extend, or null
   * @param training true only when gradients flow back through this pass (inside a gradient
   *     collector): dropout is on and every intermediate is kept for the backward pass; other
   *     passes overwrite intermediates in place
   * @return final hidden states (B, T, C)
   */
  public NDArray hidden(NDArray tokens, KvCache cache, boolean training) {
    try (GradMode.Scope graph = graphOnlyWhen(training)) {
      return gpt.hidden(parameterStore, tokens, cache, training);
    }
  }

  /** Next-token logits (B, T, V) from hidden states (B, T, C). */
  public NDArray logits(NDArray hidden, boolean training) {
    try (GradMode.Scope graph = graphOnlyWhen(training)) {
      return gpt.logits(parameterStore, hidden, training);
    }
  }

  /** Rewards (B) read at {@code readIndex[b]} of each sequence; needs a reward head. */
  public NDArray rewards(NDArray hidden, long[] readIndex, boolean training) {
    if (rewardHead == null) {
      throw new IllegalStateException("this network has no reward head");
    }
    try (GradMode.Scope graph = graphOnlyWhen(training)) {
      return rewardHead.atPositions(parameterStore, hidden, readIndex, training);
    }
  }

  /** Value estimates (B, T) at every position; needs a value head. */
  public NDArray values(NDArray hidden, boolean training) {
    if (valueHead == null) {
      throw new IllegalStateException("this network has no value head");
    }
    try (GradMode.Scope graph = graphOnlyWhen(training)) {
      return valueHead.perPosition(parameterStore, hidden, training);
    }
  }

  /**
   * A pass that is not trained records no graph, whatever the calling thread's grad mode: PyTorch's
   * grad mode is per thread and on in a new one, so without this every thread that runs the network
   * (a loader, a worker, an executor) would have to remember to turn it off. A training pass runs
   * inside a gradient collector, which turns it on.
   */
  private static GradMode.Scope graphOnlyWhen(boolean training) {
    return training ? () -> {} : GradMode.off();
  }

  /** A cache for decoding {@code batchSize} unpadded sequences. */
  public KvCache newCache(int batchSize) {
    return KvCache.unpadded(manager, config(), batchSize);
  }

  /** A cache for decoding left-padded sequences. */
  public KvCache newCache(long[] leftPadding) {
    return new KvCache(manager, config(), leftPadding);
  }

  /** Every parameter by checkpoint name: the network's GPT-2 names, then the heads'. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>(gpt.namedParameters());
    if (rewardHead != null) {
      named.putAll(rewardHead.namedParameters(REWARD_HEAD));
    }
    if (valueHead != null) {
      named.putAll(valueHead.namedParameters(VALUE_HEAD));
    }
    return named;
  }

  /** Total number of parameter values. */
  public long parameterCount() {
    return namedParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /**
   * Overwrites parameters in place with {@code values} (row-major floats of the same shape). Heads
   * named in {@code values} but absent here are added first.
   */
  public void load(Map<String, float[]> values) {
    if (values.keySet().stream().anyMatch(k -> k.startsWith(REWARD_HEAD + "."))) {
      addRewardHead();
    }
    if (values.keySet().stream().anyMatch(k -> k.startsWith(VALUE_HEAD + "."))) {
      addValueHead();
    }
    try (GradMode.Scope noGraph = GradMode.off()) {
      loadEach(values);
    }
  }

  private void loadEach(Map<String, float[]> values) {
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      float[] v = values.get(e.getKey());
      if (v == null) {
        throw new IllegalArgumentException("no value for parameter " + e.getKey());
      }
      NDArray array = e.getValue().getArray();
      if (v.length != array.size()) {
        throw new IllegalArgumentException(
            e.getKey() + ": " + v.length + " values for shape " + array.getShape());
      }
      array.set(FloatBuffer.wrap(v));
    }
  }

  /** Every parameter's values, by checkpoint name (copied to the heap). */
  public Map<String, float[]> weights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    namedParameters().forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
    return out;
  }

  /** An independent copy (same weights, own memory), e.g. a frozen reference policy. */
  public LanguageModel copy() {
    return copyTo(device());
  }

  /** An independent copy on {@code device}, e.g. a data-parallel replica. */
  public LanguageModel copyTo(Device device) {
    LanguageModel copy = create(config(), tokenizer, device);
    try {
      copy.load(weights());
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
    return copy;
  }

  @Override
  public void close() {
    manager.close();
  }
}
