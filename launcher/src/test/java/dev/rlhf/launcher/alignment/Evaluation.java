package dev.rlhf.launcher.alignment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.lm.train.LanguageModelLoss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's judgement of a version: its answers to held-out prompts, greedy and sampled at
 * temperature 1 (seeded), scored by the crew's judge. It loads the published checkpoints and
 * samples with the runtime's own generator, so what is judged is what the runtime would serve.
 */
final class Evaluation {

  /** Most new tokens per answer: what the completions the crew ranks are given. */
  static final int MAX_TOKENS = 96;

  private static final int BATCH = 25;

  /** What one version did on the held-out prompts. */
  record Answers(String version, List<Answer> greedy, List<Answer> sampled) {

    double meanScore(boolean sampledAnswers) {
      return (sampledAnswers ? sampled : greedy)
          .stream().mapToDouble(Answer::score).average().orElse(0);
    }

    double correctShare(boolean sampledAnswers) {
      List<Answer> answers = sampledAnswers ? sampled : greedy;
      return answers.stream().filter(Answer::correct).count() / (double) answers.size();
    }

    /** Correct share per question kind (sampled or greedy answers). */
    Map<DemoPrompt.Kind, Double> correctByKind(List<DemoPrompt> prompts, boolean sampledAnswers) {
      List<Answer> answers = sampledAnswers ? sampled : greedy;
      Map<DemoPrompt.Kind, int[]> counts = new EnumMap<>(DemoPrompt.Kind.class);
      for (int i = 0; i < prompts.size(); i++) {
        int[] c = counts.computeIfAbsent(prompts.get(i).kind(), k -> new int[2]);
        c[0] += answers.get(i).correct() ? 1 : 0;
        c[1]++;
      }
      Map<DemoPrompt.Kind, Double> out = new EnumMap<>(DemoPrompt.Kind.class);
      counts.forEach((k, c) -> out.put(k, c[0] / (double) c[1]));
      return out;
    }

    /** Mean length in tokens of the sampled answers. */
    double meanLength() {
      return sampled.stream().mapToInt(a -> a.tokens().length).average().orElse(0);
    }
  }

  /**
   * @param tokens the answer's tokens (with the closing token, when it was sampled)
   * @param logProb the answer's log-probability under the version that sampled it
   */
  record Answer(String text, int[] tokens, double logProb, double score, boolean correct) {}

  /** Wins, ties and losses of one version's answers against another's, prompt by prompt. */
  record Comparison(int wins, int ties, int losses) {
    static Comparison of(List<Answer> a, List<Answer> b) {
      int w = 0, t = 0, l = 0;
      for (int i = 0; i < a.size(); i++) {
        double d = a.get(i).score() - b.get(i).score();
        if (Math.abs(d) < 1e-9) t++;
        else if (d > 0) w++;
        else l++;
      }
      return new Comparison(w, t, l);
    }

    @Override
    public String toString() {
      return wins + "/" + ties + "/" + losses;
    }
  }

  /**
   * How often a reward model orders two answers to a held-out prompt as the judge does, per
   * question kind: over every pair of distinct answers (of all versions, greedy and sampled) that
   * the judge scores differently. Where it is near one half the reward model cannot tell, so PPO
   * has nothing to climb there.
   */
  record Agreement(Map<DemoPrompt.Kind, int[]> byKind) {

    int agreeing() {
      return byKind.values().stream().mapToInt(c -> c[0]).sum();
    }

    int pairs() {
      return byKind.values().stream().mapToInt(c -> c[1]).sum();
    }

    @Override
    public String toString() {
      StringBuilder out =
          new StringBuilder(
              String.format("%.3f of %d pairs", agreeing() / (double) pairs(), pairs()));
      String sep = "; by kind: ";
      for (var e : byKind.entrySet()) {
        out.append(sep)
            .append(
                String.format(
                    "%s %.2f of %d",
                    e.getKey().name().toLowerCase().substring(0, 3),
                    e.getValue()[0] / (double) e.getValue()[1],
                    e.getValue()[1]));
        sep = ", ";
      }
      return out.toString();
    }
  }

  private final Path checkpoints;
  private final Judge judge;
  private final List<DemoPrompt> prompts;
  private final long seed;

  Evaluation(Path checkpoints, Judge judge, List<DemoPrompt> prompts, long seed) {
    this.checkpoints = checkpoints;
    this.judge = judge;
    this.prompts = List.copyOf(prompts);
    this.seed = seed;
  }

  List<DemoPrompt> prompts() {
    return prompts;
  }

  /** The version's greedy and sampled answers, judged. */
  Answers answers(String version) {
    try (LanguageModel network = Checkpoints.load(checkpoints.resolve(version), Device.cpu())) {
      return new Answers(
          version,
          answer(network, SamplingParams.greedy(MAX_TOKENS)),
          answer(network, SamplingParams.seeded(MAX_TOKENS, seed)));
    }
  }

  /**
   * KL(version || reference) per answer, estimated on the version's sampled answers as PPO reports
   * it: the sum over the answer's tokens of log p_version - log p_reference, averaged.
   */
  double klTo(Answers version, String reference) {
    try (LanguageModel network = Checkpoints.load(checkpoints.resolve(reference), Device.cpu())) {
      ChatTemplate template = network.chatTemplate();
      double sum = 0;
      for (int i = 0; i < prompts.size(); i++) {
        Answer a = version.sampled().get(i);
        int[] prompt = template.promptForCompletion(prompts.get(i).conversation());
        sum += a.logProb() - logProb(network, prompt, a.tokens());
      }
      return sum / prompts.size();
    }
  }

  /** The reward model's agreement with the judge on the versions' held-out answers. */
  Agreement rewardAgreement(String rewardVersion, Collection<Answers> versions) {
    Map<DemoPrompt.Kind, int[]> counts = new EnumMap<>(DemoPrompt.Kind.class);
    // Without a graph: hidden and rewards are called with training false.
    try (LanguageModel model = Checkpoints.load(checkpoints.resolve(rewardVersion), Device.cpu())) {
      for (int i = 0; i < prompts.size(); i++) {
        DemoPrompt prompt = prompts.get(i);
        Map<String, Double> judged = new LinkedHashMap<>();
        for (Answers version : versions) {
          for (Answer a : List.of(version.greedy().get(i), version.sampled().get(i))) {
            judged.putIfAbsent(a.text(), a.score());
          }
        }
        List<String> texts = new ArrayList<>(judged.keySet());
        double[] reward = new double[texts.size()];
        for (int j = 0; j < texts.size(); j++) {
          reward[j] = reward(model, prompt.conversation(), texts.get(j));
        }
        int[] c = counts.computeIfAbsent(prompt.kind(), k -> new int[2]);
        for (int j = 0; j < texts.size(); j++) {
          for (int k = j + 1; k < texts.size(); k++) {
            double d = judged.get(texts.get(j)) - judged.get(texts.get(k));
            if (Math.abs(d) < 1e-9) continue;
            c[1]++;
            if (Math.signum(d) == Math.signum(reward[j] - reward[k])) c[0]++;
          }
        }
      }
    }
    counts.values().removeIf(c -> c[1] == 0);
    return new Agreement(counts);
  }

  /** The reward model's score of one answer, read at the reward token after it. */
  private static double reward(LanguageModel model, List<Turn> conversation, String text) {
    int[] tokens = model.chatTemplate().rewardInput(conversation, text).tokens();
    int context = model.config().blockSize();
    if (tokens.length > context) {
      tokens = Arrays.copyOfRange(tokens, tokens.length - context, tokens.length);
    }
    try (NDManager m = model.manager().newSubManager()) {
      NDArray ids = m.create(tokens, new Shape(1, tokens.length));
      NDArray hidden = model.hidden(ids, null, false);
      return model.rewards(hidden, new long[] {tokens.length - 1}, false).toFloatArray()[0];
    }
  }

  private List<Answer> answer(LanguageModel network, SamplingParams params) {
    ChatTemplate template = network.chatTemplate();
    Generator generator = new Generator(network);
    List<Answer> out = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += BATCH) {
      List<DemoPrompt> batch = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
      List<int[]> encoded =
          batch.stream().map(p -> template.promptForCompletion(p.conversation())).toList();
      // Each batch its own seed: answers do not depend on how the prompts are batched elsewhere.
      List<Completion> completions =
          generator.generate(
              encoded, params.withSeed(params.seed() == null ? 0 : params.seed() + from));
      for (int i = 0; i < batch.size(); i++) {
        Completion c = completions.get(i);
        double logProb = 0;
        for (float lp : c.logProbs()) logProb += lp;
        DemoPrompt p = batch.get(i);
        out.add(
            new Answer(
                c.text(),
                c.tokens(),
                logProb,
                judge.score(p, c.text()),
                judge.correct(p, c.text())));
      }
    }
    return out;
  }

  /** log p(answer | prompt) under {@code network}, teacher-forced. */
  private static double logProb(LanguageModel network, int[] prompt, int[] answer) {
    if (answer.length == 0) return 0;
    int[] sequence = new int[prompt.length + answer.length];
    System.arraycopy(prompt, 0, sequence, 0, prompt.length);
    System.arraycopy(answer, 0, sequence, prompt.length, answer.length);
    try (NDManager m = network.manager().newSubManager()) {
      NDArray tokens = m.create(sequence, new Shape(1, sequence.length));
      NDArray inputs = tokens.get(":, :-1");
      NDArray hidden = network.hidden(inputs, null, false); // (1, T-1, C)
      float[] lp =
          LanguageModelLoss.tokenLogProbs(network.logits(hidden, false), tokens.get(":, 1:"))
              .toFloatArray(); // (T-1)
      double sum = 0;
      for (int i = prompt.length - 1; i < lp.length; i++) sum += lp[i];
      return sum;
    }
  }
}
