package dev.rlhf.policy.eval;

import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.ppo.PolicyForward;
import dev.rlhf.policy.ppo.RolloutCollector;
import dev.rlhf.policy.train.ResponseSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's own answers to prompts, sampled at temperature 1 with a fixed seed, and their KL to
 * another policy: how far a version has moved from its parent, measured where it actually puts its
 * probability (the evaluation of every version, and DPO's validations).
 */
public final class SampledAnswers {

  private static final int BATCH = 16;

  private SampledAnswers() {}

  /** The prompts as the network reads them, cut to leave room for an answer. */
  public static List<int[]> encode(LanguageModel network, List<List<Turn>> prompts) {
    ChatTemplate template = network.chatTemplate();
    List<int[]> out = new ArrayList<>();
    for (List<Turn> p : prompts) {
      out.add(
          RolloutCollector.fitted(template.promptForCompletion(p), network.config().blockSize()));
    }
    return out;
  }

  /** Answers in batches of prompts, each batch seeded by its position: the same for any network. */
  public static List<Completion> sample(
      LanguageModel network, List<int[]> encoded, int maxNewTokens, long seed) {
    Generator generator = new Generator(network);
    List<Completion> out = new ArrayList<>();
    for (int from = 0; from < encoded.size(); from += BATCH) {
      out.addAll(
          generator.generate(
              encoded.subList(from, Math.min(encoded.size(), from + BATCH)),
              SamplingParams.seeded(maxNewTokens, seed + from)));
    }
    return out;
  }

  /**
   * Mean over answers of the sum over their tokens of log p_version - log p_other: the Monte Carlo
   * estimate of KL(version || other) per answer, the answers being the version's own samples.
   */
  public static double meanKl(
      LanguageModel version, LanguageModel other, List<int[]> encoded, List<Completion> answers) {
    double sum = 0;
    for (int from = 0; from < answers.size(); from += BATCH) {
      List<ResponseSequence> batch = new ArrayList<>();
      for (int i = from; i < Math.min(answers.size(), from + BATCH); i++) {
        Completion c = answers.get(i);
        if (c.tokens().length > 0) batch.add(ResponseSequence.of(encoded.get(i), c.tokens()));
      }
      if (batch.isEmpty()) continue;
      float[][] mine = logProbs(version, batch);
      float[][] theirs = logProbs(other, batch);
      for (int b = 0; b < batch.size(); b++) {
        for (int t = 0; t < mine[b].length; t++) sum += mine[b][t] - theirs[b][t];
      }
    }
    return sum / answers.size();
  }

  private static float[][] logProbs(LanguageModel network, List<ResponseSequence> batch) {
    try (NDManager m = network.manager().newSubManager()) {
      PolicyForward pass = PolicyForward.run(network, batch, 1f, m, false);
      return PolicyForward.responseSlices(pass.logProbs(), batch);
    }
  }
}
