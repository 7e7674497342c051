package dev.rlhf.launcher.alignment;

import static dev.rlhf.labeling.actors.Researcher.as;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.launcher.alignment.QualityBench.Kind;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.Turn;
import io.restassured.path.json.JsonPath;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What the crowd's labels are worth to a reward model, measured on a clean held-out set: pairs of
 * the base model's completions of unseen questions, ordered by the true preference (the judge).
 * Each reward model is a REWARD cycle of the platform (default hyper-parameters, from the base);
 * the benchmark loads its published checkpoint and scores the pairs (the platform has no scoring
 * endpoint).
 *
 * <ul>
 *   <li>{@link #byQualityControl}: trained on all labels, on the quality-controlled labels
 *       (majority consensus of the overlapping rankings, contractors under the platform's
 *       thresholds excluded) and on the careful group's labels only;
 *   <li>{@link #bySelection}: three projects with overlap 1, under random selection, under
 *       uncertainty selection without a reward model (completion diversity) and under uncertainty
 *       selection with a first reward model trained on a seed slice (reward-model uncertainty),
 *       ranked by the careful group; reward models on the first N rankings of each.
 * </ul>
 */
final class LabelValue {

  /** An informative pair of the clean held-out set. */
  record Pair(List<Turn> conversation, String chosen, String rejected) {}

  private static final Duration PATIENCE = Duration.ofMinutes(60);

  private final PrintStream out;
  private final String researcher;
  private final String baseVersion;
  private final Path checkpoints;
  private final Judge judge;
  private final int k;
  private final Cycles cycles;
  private final List<Pair> heldOut = new ArrayList<>();

  LabelValue(
      PrintStream out,
      String researcher,
      String baseVersion,
      Path checkpoints,
      Judge judge,
      int k) {
    this.out = out;
    this.researcher = researcher;
    this.baseVersion = baseVersion;
    this.checkpoints = checkpoints;
    this.judge = judge;
    this.k = k;
    this.cycles = new Cycles(researcher, PATIENCE);
  }

  /**
   * Builds the clean held-out set: {@code count} questions the training prompts do not hold, K base
   * completions of each (through a project of their own), every pair the judge orders.
   */
  void buildHeldOut(int count, long seed, Set<String> seen) throws InterruptedException {
    DemoWorld world = new DemoWorld(seed * 104729 + 17);
    Map<String, DemoPrompt> questions = new LinkedHashMap<>();
    for (int i = 0; questions.size() < count && i < count * 50; i++) {
      DemoPrompt p = world.next(judge.kinds().get(i % judge.kinds().size()));
      if (!seen.contains(p.question())) questions.putIfAbsent(p.question(), p);
    }
    String project = Researcher.project(researcher, 1, 1);
    completions(project, List.copyOf(questions.keySet()));
    ScriptedContractor reader = Researcher.contractor();
    int prompts = 0;
    for (Optional<JsonPath> task = reader.nextTask(project, "RANKING");
        task.isPresent();
        task = reader.nextTask(project, "RANKING")) {
      List<List<String>> order = Crew.judgeOrder(judge, questions, task.get());
      Map<String, String> text = new HashMap<>();
      for (Map<String, Object> c : task.get().<Map<String, Object>>getList("completions")) {
        text.put((String) c.get("id"), (String) c.get("text"));
      }
      List<String> turns = task.get().getList("conversation.text");
      List<Turn> conversation = questions.get(turns.get(turns.size() - 1)).conversation();
      for (int hi = 0; hi < order.size(); hi++) {
        for (int lo = hi + 1; lo < order.size(); lo++) {
          for (String better : order.get(hi)) {
            for (String worse : order.get(lo)) {
              heldOut.add(new Pair(conversation, text.get(better), text.get(worse)));
            }
          }
        }
      }
      reader.submitRanking(task.get(), order, null);
      prompts++;
    }
    out.printf(
        "clean held-out set: %d unseen questions, %d ranking tasks, %d informative pairs judged by"
            + " the true preference%n",
        questions.size(), prompts, heldOut.size());
  }

  /** Reward models on all labels, quality-controlled labels and the careful group's labels. */
  void byQualityControl(String project, Map<ScriptedContractor, Kind> crowd) {
    List<String> careful =
        crowd.entrySet().stream()
            .filter(e -> e.getValue() == Kind.CAREFUL)
            .map(e -> e.getKey().username())
            .toList();
    Map<String, Map<String, Object>> sets = new LinkedHashMap<>();
    sets.put("all labels", Map.of());
    sets.put(
        "quality-controlled",
        Map.of("consensus", Map.of("method", "MAJORITY", "belowThreshold", "EXCLUDE")));
    sets.put("careful only", Map.of("snapshot", Map.of("contractors", careful)));
    out.println(
        "reward model by label set (REWARD cycle from the base, default hyper-parameters):");
    out.printf(
        "%-20s %10s %14s %12s %8s%n", "labels", "version", "platform acc", "clean acc", "cycle");
    for (Map.Entry<String, Map<String, Object>> set : sets.entrySet()) {
      Cycles.Produced rm =
          cycles.run(project, "REWARD", baseVersion, null, Map.of(), set.getValue());
      Number platform = cycles.metrics(rm.version()).get(TrainingMetrics.HELDOUT_ACCURACY);
      out.printf(
          "%-20s %10s %14s %12.3f %7ds%n",
          set.getKey(),
          rm.version(),
          platform == null ? "-" : String.format("%.3f", platform.doubleValue()),
          accuracy(rm.version()),
          rm.took().toSeconds());
    }
  }

  /**
   * Random against uncertainty selection: the same questions in three projects (overlap 1), ranked
   * by the careful group in the order each queue hands them out; reward models on the first N
   * rankings ({@code steps}, ascending, the last being every prompt). The {@code uncertainty}
   * project has no reward model, so completion diversity orders it; the {@code reward model}
   * project first ranks a seed slice (half the first budget) in arrival order, trains its first
   * reward model on it (a REWARD cycle of the project), and only then asks for the other questions'
   * completions, which the runtime scores with that reward model, so its queue is ordered by the
   * reward models' uncertainty (the seed model must pass the platform's reward gate, or diversity
   * orders it: the printed signal counts say which).
   */
  void bySelection(
      List<String> texts,
      Map<String, DemoPrompt> questions,
      Map<ScriptedContractor, Kind> crowd,
      int[] steps,
      Random random)
      throws InterruptedException {
    List<ScriptedContractor> careful =
        crowd.entrySet().stream()
            .filter(e -> e.getValue() == Kind.CAREFUL)
            .map(Map.Entry::getKey)
            .toList();
    List<String> prompts = texts.subList(0, steps[steps.length - 1]);
    Map<String, String> projects = new LinkedHashMap<>();
    for (String selection : List.of("random", "uncertainty", "reward model")) {
      String project = Researcher.project(researcher, 1, 1);
      projects.put(selection, project);
    }
    for (String selection : List.of("random", "uncertainty")) {
      select(projects.get(selection), selection);
      completions(projects.get(selection), prompts);
    }
    Map<String, double[]> accuracy = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : projects.entrySet()) {
      Map<Integer, Instant> after = new HashMap<>();
      int rankings = 0;
      if (p.getKey().equals("reward model")) {
        int seed = Math.max(1, steps[0] / 2);
        completions(p.getValue(), prompts.subList(0, seed));
        rankings = rankQueue(p.getValue(), careful, questions, random, after, 0);
        Cycles.Produced first = cycles.run(p.getValue(), "REWARD", baseVersion, null, Map.of());
        Number platform = cycles.metrics(first.version()).get(TrainingMetrics.HELDOUT_ACCURACY);
        out.printf(
            "  reward model selection: seed reward model %s on the first %d rankings, platform"
                + " held-out accuracy %s, clean %.3f (%d s)%n",
            first.version(),
            rankings,
            platform == null ? "-" : String.format("%.3f", platform.doubleValue()),
            accuracy(first.version()),
            first.took().toSeconds());
        select(p.getValue(), "uncertainty");
        completions(p.getValue(), prompts.subList(seed, prompts.size()));
        out.printf("  reward model selection: queue ordered by %s%n", signals(p.getValue()));
      }
      rankings = rankQueue(p.getValue(), careful, questions, random, after, rankings);
      double[] acc = new double[steps.length];
      for (int i = 0; i < steps.length; i++) {
        Instant to = after.get(Math.min(steps[i], rankings));
        Cycles.Produced rm =
            cycles.run(
                p.getValue(),
                "REWARD",
                baseVersion,
                null,
                Map.of(),
                Map.of("snapshot", Map.of("to", to.toString())));
        acc[i] = accuracy(rm.version());
        out.printf(
            "  %s selection, first %d of %d rankings: %s, clean held-out accuracy %.3f (%d s)%n",
            p.getKey(), steps[i], rankings, rm.version(), acc[i], rm.took().toSeconds());
      }
      accuracy.put(p.getKey(), acc);
    }
    out.println("reward model by ranking budget (careful group, overlap 1):");
    out.printf("%-10s %10s %12s %14s%n", "rankings", "random", "uncertainty", "reward model");
    for (int i = 0; i < steps.length; i++) {
      out.printf(
          "%-10d %10.3f %12.3f %14.3f%n",
          steps[i],
          accuracy.get("random")[i],
          accuracy.get("uncertainty")[i],
          accuracy.get("reward model")[i]);
    }
    double target = accuracy.get("random")[steps.length - 1];
    out.printf(
        "rankings to reach random selection's accuracy at %d rankings (%.3f): random %s,"
            + " uncertainty %s, reward model %s%n",
        steps[steps.length - 1],
        target,
        needed(steps, accuracy.get("random"), target),
        needed(steps, accuracy.get("uncertainty"), target),
        needed(steps, accuracy.get("reward model"), target));
  }

  private void select(String project, String selection) {
    as(researcher)
        .body(Map.of("selection", selection))
        .patch("/api/projects/" + project)
        .then()
        .statusCode(200);
  }

  /**
   * The careful group ranks the project's queue in the order it is handed out, until it is empty;
   * the instant after each ranking is kept by its number.
   *
   * @return the rankings made so far, {@code before} included
   */
  private int rankQueue(
      String project,
      List<ScriptedContractor> careful,
      Map<String, DemoPrompt> questions,
      Random random,
      Map<Integer, Instant> after,
      int before) {
    int rankings = before;
    for (boolean any = true; any; ) {
      any = false;
      for (ScriptedContractor contractor : careful) {
        Optional<JsonPath> task = contractor.nextTask(project, "RANKING");
        if (task.isEmpty()) continue;
        contractor.submitRanking(
            task.get(),
            QualityBench.rank(Kind.CAREFUL, judge, questions, task.get(), random),
            null);
        rankings++;
        after.put(rankings, Instant.now());
        any = true;
      }
    }
    return rankings;
  }

  /** How many of the project's open ranking tasks each selection signal ordered. */
  private String signals(String project) {
    List<Object> signals =
        as(researcher)
            .get("/api/projects/" + project + "/selection-queue?limit=500")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("selectionSignal");
    Map<Object, Long> counts = new LinkedHashMap<>();
    for (Object s : signals) counts.merge(s, 1L, Long::sum);
    return counts.toString();
  }

  /**
   * The smallest budget at which the accuracy reaches {@code target}, linearly interpolated between
   * the measured budgets (from 0 rankings at accuracy 0.5); "> N" when never reached.
   */
  static String needed(int[] steps, double[] accuracy, double target) {
    double previousN = 0;
    double previousAcc = 0.5;
    for (int i = 0; i < steps.length; i++) {
      if (accuracy[i] >= target) {
        double n =
            accuracy[i] == previousAcc
                ? steps[i]
                : previousN
                    + (steps[i] - previousN) * (target - previousAcc) / (accuracy[i] - previousAcc);
        return String.format("%.0f", Math.max(previousN, Math.min(steps[i], n)));
      }
      previousN = steps[i];
      previousAcc = accuracy[i];
    }
    return "> " + steps[steps.length - 1];
  }

  /** The share of the clean held-out pairs a reward version scores chosen strictly above. */
  double accuracy(String version) {
    try (LanguageModel network = Checkpoints.load(checkpoints.resolve(version), Device.cpu())) {
      ChatTemplate template = network.chatTemplate();
      Map<String, Double> scored = new HashMap<>();
      int right = 0;
      for (Pair pair : heldOut) {
        double chosen = reward(network, template, pair.conversation(), pair.chosen(), scored);
        double rejected = reward(network, template, pair.conversation(), pair.rejected(), scored);
        if (chosen > rejected) right++;
      }
      return heldOut.isEmpty() ? Double.NaN : right / (double) heldOut.size();
    }
  }

  private static double reward(
      LanguageModel network,
      ChatTemplate template,
      List<Turn> conversation,
      String completion,
      Map<String, Double> scored) {
    String key = conversation + "\u0000" + completion;
    Double known = scored.get(key);
    if (known != null) return known;
    int[] tokens = template.rewardInput(conversation, completion).tokens();
    int context = network.config().blockSize();
    if (tokens.length > context) {
      // As the trainer does: keep the end, where the completion and the read-out token are.
      tokens = Arrays.copyOfRange(tokens, tokens.length - context, tokens.length);
    }
    try (NDManager step = network.manager().newSubManager()) {
      NDArray ids = step.create(tokens, new Shape(1, tokens.length)); // (1, T)
      NDArray hidden = network.hidden(ids, null, false); // (1, T, C)
      double r =
          network.rewards(hidden, new long[] {tokens.length - 1}, false).toFloatArray()[0]; // (1)
      scored.put(key, r);
      return r;
    }
  }

  /** Imports the questions into the project and waits for K base completions of each. */
  private void completions(String project, List<String> texts) throws InterruptedException {
    List<String> ids =
        Researcher.repeatedPrompts(researcher, project, false, texts.toArray(String[]::new));
    as(researcher)
        .body(Map.of("promptIds", ids, "k", k, "policyVersion", baseVersion))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(202);
    while (true) {
      JsonPath summary =
          as(researcher)
              .get("/api/projects/" + project + "/completion-requests/summary")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if (summary.getInt("fulfilled") >= summary.getInt("requested")) return;
      Thread.sleep(2000);
    }
  }
}
