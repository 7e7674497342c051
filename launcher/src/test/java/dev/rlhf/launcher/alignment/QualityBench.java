package dev.rlhf.launcher.alignment;

import static dev.rlhf.labeling.actors.Researcher.as;

import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.launcher.Platform;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * The label-quality benchmark: a simulated crowd ranks completions on the packaged platform through
 * its HTTP API only, and the platform's contractor quality table is scored against who the bad
 * actors really were.
 *
 * <p>The crowd: careful labelers rank by the judge ({@link Judge#CONCISE}) with 5% noise, noisy
 * ones with 30% (each adjacent pair of the judge's order swapped with that probability), bad actors
 * rank at random, always in the order the completions are shown, or copy the first completion as
 * their own demonstration (they say all are bad and write its text as the better response, ranking
 * in the order shown). The ranking tasks are the demo base model's own K completions of demo-world
 * questions (the API takes no completion texts from outside, so they come from the runtime; the
 * base model skips the SFT stage the alignment benchmark needs). A gold author (not counted in the
 * crowd) takes the first tasks and the researcher marks them gold with the judge's order; then the
 * gold rate is set and the crowd works until the queue is empty.
 *
 * <pre>
 * QualityBench BASE_CHECKPOINT DATA_DIR [--crowd 20] [--prompts 330] [--k 4] [--overlap 3]
 *              [--gold 16] [--gold-rate 0.05] [--seed 1] [--held-out 100]
 *              [--selection-steps 80,160]
 * </pre>
 *
 * <p>Then what the labels are worth to a reward model ({@link LabelValue}): with {@code --held-out}
 * above 0, reward models on all, quality-controlled and careful-only labels scored on a clean
 * held-out set; with {@code --selection-steps} (ranking budgets, ascending; "0" for none), random
 * against uncertainty selection.
 */
public final class QualityBench {

  /** What a member of the crowd is, which the platform never sees. */
  enum Kind {
    CAREFUL,
    NOISY,
    RANDOM,
    ALWAYS_FIRST,
    COPY_FIRST;

    boolean bad() {
      return this == RANDOM || this == ALWAYS_FIRST || this == COPY_FIRST;
    }
  }

  /** What a member of the crowd submits for a ranking task; a better response means "all bad". */
  record Answer(List<List<String>> order, String betterResponse) {}

  /** The crowd's project once ranked: who ranked, and the questions they ranked. */
  record Ranked(
      String researcher,
      String project,
      List<String> texts,
      Map<String, DemoPrompt> questions,
      Map<ScriptedContractor, Kind> crowd) {}

  private static final Kind[] BAD = {Kind.RANDOM, Kind.ALWAYS_FIRST, Kind.COPY_FIRST};

  private QualityBench() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]).toAbsolutePath();
    Path data = Path.of(args[1]).toAbsolutePath();
    Map<String, String> opt = new HashMap<>();
    opt.putAll(
        Map.of(
            "--crowd", "20",
            "--prompts", "330",
            "--k", "4",
            "--overlap", "3",
            "--gold", "16",
            "--gold-rate", "0.05",
            "--seed", "1"));
    opt.put("--held-out", "100");
    opt.put("--selection-steps", "80,160");
    for (int i = 2; i < args.length; i += 2) {
      if (!opt.containsKey(args[i])) throw new IllegalArgumentException("unknown " + args[i]);
      opt.put(args[i], args[i + 1]);
    }
    int crowdSize = Integer.parseInt(opt.get("--crowd"));
    int promptCount = Integer.parseInt(opt.get("--prompts"));
    int k = Integer.parseInt(opt.get("--k"));
    int overlap = Integer.parseInt(opt.get("--overlap"));
    int goldTasks = Integer.parseInt(opt.get("--gold"));
    double goldRate = Double.parseDouble(opt.get("--gold-rate"));
    long seed = Long.parseLong(opt.get("--seed"));
    int heldOut = Integer.parseInt(opt.get("--held-out"));
    int[] steps =
        Arrays.stream(opt.get("--selection-steps").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .filter(s -> s > 0)
            .toArray();
    PrintStream out = System.out;
    out.printf("quality benchmark: %s%n", opt);

    Path checkpoints = data.resolve("checkpoints");
    String baseVersion = base.getFileName().toString();
    AlignmentBench.copyOnce(base, checkpoints.resolve(baseVersion));
    try (Platform platform = AlignmentBench.start(data, checkpoints.resolve(baseVersion))) {
      RestAssured.baseURI = "http://127.0.0.1";
      RestAssured.port = Integer.parseInt(platform.labelingUrl().replaceAll(".*:", ""));
      Ranked ranked =
          run(out, baseVersion, crowdSize, promptCount, k, overlap, goldTasks, goldRate, seed);
      if (heldOut > 0) {
        LabelValue value =
            new LabelValue(out, ranked.researcher(), baseVersion, checkpoints, Judge.CONCISE, k);
        value.buildHeldOut(heldOut, seed, ranked.questions().keySet());
        if (steps.length > 0) {
          value.bySelection(
              ranked.texts(), ranked.questions(), ranked.crowd(), steps, new Random(seed + 1));
        }
        value.byQualityControl(ranked.project(), ranked.crowd());
      }
    }
  }

  private static Ranked run(
      PrintStream out,
      String baseVersion,
      int crowdSize,
      int promptCount,
      int k,
      int overlap,
      int goldTasks,
      double goldRate,
      long seed)
      throws InterruptedException {
    Judge judge = Judge.CONCISE;
    Random random = new Random(seed);
    DemoWorld world = new DemoWorld(seed * 7919);
    Map<String, DemoPrompt> questions = new HashMap<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < promptCount; i++) {
      DemoPrompt p = world.next(judge.kinds().get(i % judge.kinds().size()));
      questions.putIfAbsent(p.question(), p);
      texts.add(p.question());
    }
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, 1, overlap);
    long start = System.nanoTime();
    List<String> ids =
        Researcher.repeatedPrompts(researcher, project, false, texts.toArray(String[]::new));
    as(researcher)
        .body(Map.of("promptIds", ids, "k", k, "policyVersion", baseVersion))
        .post("/api/projects/" + project + "/completion-requests")
        .then()
        .statusCode(202);
    JsonPath summary;
    while (true) {
      summary = summary(researcher, project);
      if (summary.getInt("fulfilled") >= summary.getInt("requested")) break;
      Thread.sleep(2000);
    }
    out.printf(
        "completions: %d prompts, %d ranking tasks, %d without signal, in %d s%n",
        summary.getInt("requested"),
        summary.getInt("rankingTasks"),
        summary.getInt("noSignal"),
        (System.nanoTime() - start) / 1_000_000_000L);

    // Gold: the researcher's own labeler takes tasks, the researcher marks those the judge orders
    // (two levels at least) gold with the judge's order.
    ScriptedContractor author = Researcher.contractor();
    int marked = 0;
    while (marked < goldTasks) {
      Optional<JsonPath> task = author.nextTask(project, "RANKING");
      if (task.isEmpty()) break;
      List<List<String>> order = Crew.judgeOrder(judge, questions, task.get());
      author.submitRanking(task.get(), order, null);
      if (order.size() < 2) continue;
      as(researcher)
          .body(Map.of("order", order))
          .put("/api/tasks/" + task.get().getString("taskId") + "/gold")
          .then()
          .statusCode(200);
      marked++;
    }
    as(researcher)
        .body(Map.of("rate", goldRate))
        .put("/api/projects/" + project + "/gold-rate")
        .then()
        .statusCode(200);

    // The crowd: 60% careful, 25% noisy, 15% bad (random, always-first and copy-first by turns).
    Map<ScriptedContractor, Kind> crowd = new LinkedHashMap<>();
    int careful = (int) Math.round(crowdSize * 0.60);
    int noisy = (int) Math.round(crowdSize * 0.25);
    for (int i = 0; i < crowdSize; i++) {
      Kind kind;
      if (i < careful) kind = Kind.CAREFUL;
      else if (i < careful + noisy) kind = Kind.NOISY;
      else kind = BAD[(i - careful - noisy) % BAD.length];
      crowd.put(Researcher.contractor(), kind);
    }
    start = System.nanoTime();
    int rankings = 0;
    for (boolean any = true; any; ) {
      any = false;
      for (Map.Entry<ScriptedContractor, Kind> member : crowd.entrySet()) {
        Optional<JsonPath> task = member.getKey().nextTask(project, "RANKING");
        if (task.isEmpty()) continue;
        Answer answer = answer(member.getValue(), judge, questions, task.get(), random);
        member.getKey().submitRanking(task.get(), answer.order(), answer.betterResponse());
        rankings++;
        any = true;
      }
    }
    out.printf(
        "crowd: %d contractors, %d rankings (gold answers included), %d gold tasks, in %d s%n",
        crowdSize, rankings, marked, (System.nanoTime() - start) / 1_000_000_000L);

    JsonPath table =
        as(researcher)
            .queryParam("project", project)
            .get("/api/quality/contractors")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    report(out, table, crowd);
    return new Ranked(researcher, project, texts, questions, crowd);
  }

  /**
   * What a member of the crowd submits for a task: the order of {@link #rank}, and for a copy-first
   * actor the first completion shown, word for word, as the response it says is better than all.
   */
  static Answer answer(
      Kind kind, Judge judge, Map<String, DemoPrompt> questions, JsonPath task, Random random) {
    List<List<String>> order = rank(kind, judge, questions, task, random);
    if (kind != Kind.COPY_FIRST) return new Answer(order, null);
    return new Answer(order, task.getString("completions[0].text"));
  }

  /** How a member of the crowd ranks a task. */
  static List<List<String>> rank(
      Kind kind, Judge judge, Map<String, DemoPrompt> questions, JsonPath task, Random random) {
    List<String> shown = new ArrayList<>();
    for (Map<String, Object> c : task.<Map<String, Object>>getList("completions")) {
      shown.add((String) c.get("id"));
    }
    return switch (kind) {
      case CAREFUL -> swapped(Crew.judgeOrder(judge, questions, task), 0.05, random);
      case NOISY -> swapped(Crew.judgeOrder(judge, questions, task), 0.30, random);
      case RANDOM -> {
        Collections.shuffle(shown, random);
        yield shown.stream().map(id -> List.of(id)).toList();
      }
      case ALWAYS_FIRST, COPY_FIRST -> shown.stream().map(id -> List.of(id)).toList();
    };
  }

  /** The order with each adjacent pair of groups swapped with probability {@code p}. */
  static List<List<String>> swapped(List<List<String>> order, double p, Random random) {
    List<List<String>> out = new ArrayList<>(order);
    for (int i = 0; i + 1 < out.size(); i++) {
      if (random.nextDouble() < p) Collections.swap(out, i, i + 1);
    }
    return out;
  }

  private static void report(PrintStream out, JsonPath table, Map<ScriptedContractor, Kind> crowd) {
    Map<String, Kind> kinds = new HashMap<>();
    crowd.forEach((c, kind) -> kinds.put(c.username(), kind));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row : table.<Map<String, Object>>getList("contractors")) {
      if (kinds.containsKey((String) row.get("username"))) rows.add(row);
    }
    out.printf("rule: %s%n", table.getMap("rule"));
    out.printf(
        "%-13s %3s %9s %6s %9s %10s %6s %8s%n",
        "group", "n", "rankings", "gold", "gold acc", "agreement", "trust", "flagged");
    for (Kind kind : Kind.values()) {
      List<Map<String, Object>> group =
          rows.stream().filter(r -> kinds.get((String) r.get("username")) == kind).toList();
      if (group.isEmpty()) continue;
      out.printf(
          "%-13s %3d %9.1f %6.1f %9s %10s %6.2f %5d/%-2d%n",
          kind,
          group.size(),
          mean(group, r -> number(r, "rankings")),
          mean(group, r -> number(r, "goldAnswers")),
          format(meanOrNull(group, "goldAccuracy")),
          format(meanOrNull(group, "pairwiseAgreement")),
          mean(group, r -> number(r, "trustWeight")),
          group.stream().filter(r -> Boolean.TRUE.equals(r.get("underThreshold"))).count(),
          group.size());
    }
    List<Boolean> bad =
        rows.stream().map(r -> kinds.get((String) r.get("username")).bad()).toList();
    out.println("bad-actor detection (higher suspicion = more likely bad):");
    Map<String, ToDoubleFunction<Map<String, Object>>> scores = new LinkedHashMap<>();
    scores.put("1 - trust weight", r -> 1 - number(r, "trustWeight"));
    scores.put("1 - gold accuracy", r -> 1 - orHalf(r, "goldAccuracy"));
    scores.put("1 - agreement", r -> 1 - orHalf(r, "pairwiseAgreement"));
    scores.put(
        "1 - mean(gold, agreement)",
        r -> 1 - (orHalf(r, "goldAccuracy") + orHalf(r, "pairwiseAgreement")) / 2);
    scores.forEach(
        (name, score) ->
            out.printf(
                "  ROC AUC of %-26s %.3f%n",
                name, auc(rows.stream().mapToDouble(score).toArray(), bad)));
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean flagged = Boolean.TRUE.equals(rows.get(i).get("underThreshold"));
      if (flagged && bad.get(i)) tp++;
      else if (flagged) fp++;
      else if (bad.get(i)) fn++;
    }
    out.printf(
        "  at the platform's threshold (underThreshold): precision %s, recall %s (%d flagged, %d"
            + " bad)%n",
        tp + fp == 0 ? "n/a" : String.format("%.2f", tp / (double) (tp + fp)),
        tp + fn == 0 ? "n/a" : String.format("%.2f", tp / (double) (tp + fn)),
        tp + fp,
        tp + fn);
  }

  /** Mann-Whitney ROC AUC: the chance a bad actor scores above a good one, ties half. */
  static double auc(double[] score, List<Boolean> positive) {
    double wins = 0;
    int pairs = 0;
    for (int i = 0; i < score.length; i++) {
      if (!positive.get(i)) continue;
      for (int j = 0; j < score.length; j++) {
        if (positive.get(j)) continue;
        pairs++;
        if (score[i] > score[j]) wins++;
        else if (score[i] == score[j]) wins += 0.5;
      }
    }
    return pairs == 0 ? Double.NaN : wins / pairs;
  }

  private static double number(Map<String, Object> row, String field) {
    Object v = row.get(field);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  /** A figure without data counts as 0.5 (neither good nor bad) in a suspicion score. */
  private static double orHalf(Map<String, Object> row, String field) {
    Object v = row.get(field);
    return v == null ? 0.5 : ((Number) v).doubleValue();
  }

  private static double mean(
      List<Map<String, Object>> rows, ToDoubleFunction<Map<String, Object>> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static Double meanOrNull(List<Map<String, Object>> rows, String field) {
    List<Double> values =
        rows.stream()
            .map(r -> (Number) r.get(field))
            .filter(v -> v != null)
            .map(Number::doubleValue)
            .toList();
    return values.isEmpty() ? null : values.stream().mapToDouble(d -> d).average().orElse(0);
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format("%.3f", v);
  }

  private static JsonPath summary(String researcher, String project) {
    return as(researcher)
        .get("/api/projects/" + project + "/completion-requests/summary")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
