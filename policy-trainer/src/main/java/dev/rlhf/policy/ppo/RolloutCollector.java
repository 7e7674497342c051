package dev.rlhf.policy.ppo;

import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.config.PpoConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a batch of rollouts: samples completions with the policy (the whole batch per network
 * call), scores them, and evaluates the policy's and the frozen reference's log-probabilities and
 * the values. Everything here runs without a gradient collector: nothing is trained yet, and the
 * reference and reward model are frozen.
 */
public final class RolloutCollector {

  /** Wall time of the last batch, split into sampling and scoring (reward, reference, values). */
  public record Timing(double generationSeconds, double scoringSeconds) {}

  /** Tokens an answer is left at least, however long the conversation. */
  static final int MIN_ANSWER_TOKENS = 16;

  private final LanguageModel policy;
  private final LanguageModel reference;
  private final RewardFunction reward;
  private final PpoConfig config;
  private final ChatTemplate template;
  private Timing lastTiming = new Timing(0, 0);

  public RolloutCollector(
      LanguageModel policy, LanguageModel reference, RewardFunction reward, PpoConfig config) {
    this.policy = policy;
    this.reference = reference;
    this.reward = reward;
    this.config = config;
    this.template = policy.chatTemplate();
  }

  public List<Rollout> collect(List<List<Turn>> prompts, long seed) {
    long start = System.nanoTime();
    List<int[]> encoded = new ArrayList<>();
    for (List<Turn> p : prompts) {
      encoded.add(fitted(template.promptForCompletion(p), policy.config().blockSize()));
    }
    SamplingParams params =
        new SamplingParams(config.temperature(), 0, 1f, config.maxNewTokens(), List.of(), seed);
    List<Completion> completions = new Generator(policy).generate(encoded, params);
    long sampled = System.nanoTime();
    double[] scores = reward.score(prompts, completions.stream().map(Completion::text).toList());
    List<Rollout> rollouts = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      Completion c = completions.get(i);
      rollouts.add(
          new Rollout(
              prompts.get(i),
              encoded.get(i),
              c.tokens(),
              c.text(),
              scores[i],
              null,
              null,
              null,
              0));
    }
    List<Rollout> evaluated = evaluate(rollouts);
    long end = System.nanoTime();
    lastTiming = new Timing((sampled - start) / 1e9, (end - sampled) / 1e9);
    return evaluated;
  }

  /**
   * The prompt as the runtime answers it: whole, the answer getting the rest of the context (up to
   * {@code maxNewTokens}), so rollouts are as long as the completions labelers judge. Only a
   * conversation too long to leave {@link #MIN_ANSWER_TOKENS} keeps its end: the latest turns
   * matter for the reply.
   */
  public static int[] fitted(int[] prompt, int context) {
    int room = context - MIN_ANSWER_TOKENS;
    return prompt.length > room
        ? Arrays.copyOfRange(prompt, prompt.length - room, prompt.length)
        : prompt;
  }

  private List<Rollout> evaluate(List<Rollout> rollouts) {
    try (NDManager step = policy.manager().newSubManager()) {
      PolicyForward now = PolicyForward.run(policy, rollouts, config.temperature(), step, false);
      float[][] logProbs = PolicyForward.responseSlices(now.logProbs(), rollouts);
      float[][] values = PolicyForward.responseSlices(now.values(), rollouts);
      float[][] entropy = PolicyForward.responseSlices(now.entropy(), rollouts);
      float[][] refLogProbs;
      try (NDManager refStep = reference.manager().newSubManager()) {
        PolicyForward ref =
            PolicyForward.run(reference, rollouts, config.temperature(), refStep, false);
        refLogProbs = PolicyForward.responseSlices(ref.logProbs(), rollouts);
      }
      List<Rollout> out = new ArrayList<>();
      for (int b = 0; b < rollouts.size(); b++) {
        Rollout r = rollouts.get(b);
        float meanEntropy = 0;
        for (float e : entropy[b]) {
          meanEntropy += e / entropy[b].length;
        }
        out.add(
            new Rollout(
                r.prompt(),
                r.promptTokens(),
                r.responseTokens(),
                r.text(),
                r.score(),
                logProbs[b],
                refLogProbs[b],
                values[b],
                meanEntropy));
      }
      return out;
    }
  }

  public Timing lastTiming() {
    return lastTiming;
  }
}
