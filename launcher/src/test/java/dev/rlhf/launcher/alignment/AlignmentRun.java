package dev.rlhf.launcher.alignment;

import static dev.rlhf.labeling.actors.Researcher.as;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One (judge, seed) run of the loop on a running platform, through the HTTP API only: a project,
 * the crew's demonstrations, an SFT cycle, K completions of the SFT policy ranked by the crew, a
 * reward-model cycle, a PPO cycle, and a DPO cycle from the same SFT version on the same rankings,
 * all with default hyper-parameters unless {@code overrides} say otherwise; then the versions'
 * answers to held-out prompts judged by the crew's judge.
 */
final class AlignmentRun {

  /** How much labeling a run does. */
  record Sizes(int demonstrations, int rankingPrompts, int k, int overlap, int heldOut, int crew) {
    /** The benchmark's sizes unless {@code --sizes} says otherwise. */
    static final Sizes DEFAULT = new Sizes(240, 264, 4, 3, 100, 6);
  }

  /**
   * A run's prompts: what the crew demonstrates, what it ranks, what the versions are judged on.
   */
  record Prompts(
      List<DemoPrompt> demonstrations, List<DemoPrompt> ranking, List<DemoPrompt> heldOut) {

    /** The same prompts for the same judge, seed and sizes, every time. */
    static Prompts of(Judge judge, long seed, Sizes sizes) {
      DemoWorld world = new DemoWorld(seed * 7919 + Judge.ALL.indexOf(judge));
      List<DemoPrompt> demonstrations = draw(world, judge, sizes.demonstrations());
      List<DemoPrompt> ranking = draw(world, judge, sizes.rankingPrompts());
      return new Prompts(demonstrations, ranking, draw(world, judge, sizes.heldOut()));
    }
  }

  /** What a run measured. */
  record Result(
      Judge judge,
      long seed,
      Map<String, Evaluation.Answers> answers,
      Map<String, Double> klToParent,
      List<DemoPrompt> heldOut,
      Map<String, Duration> stageTimes,
      Crew.RankingCounts rankings,
      JsonPath completionSummary,
      Map<String, Number> rewardMetrics,
      Map<String, Number> ppoMetrics,
      Map<String, JsonPath> platformViews,
      String dpoVersion,
      Map<String, Number> dpoMetrics,
      Evaluation.Agreement rewardAgreement) {}

  /**
   * What a run has done so far, kept in the data directory so a later benchmark on the same
   * platform can start again from a stage with the same labels (to compare hyper-parameters).
   */
  record Progress(
      String researcher,
      String project,
      String sft,
      String rm,
      Crew.RankingCounts rankings,
      Map<String, Long> secondsByStage,
      String ppo) {

    /** The same run with a reward model and a PPO version (either may be null) and stage times. */
    Progress with(String rm, String ppo, Map<String, Long> secondsByStage) {
      return new Progress(researcher, project, sft, rm, rankings, secondsByStage, ppo);
    }
  }

  private static final Duration PATIENCE = Duration.ofMinutes(40);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path checkpoints;
  private final String baseVersion;
  private final Sizes sizes;
  private final Map<String, Map<String, String>> overrides;
  private final String from;
  private final String stopAfter;

  /**
   * @param from the stage to start from (REWARD, PPO, or DPO: the earlier run's PPO version kept)
   *     on the labels of an earlier run kept in the data directory; null runs everything
   */
  AlignmentRun(
      Path checkpoints,
      String baseVersion,
      Sizes sizes,
      Map<String, Map<String, String>> overrides,
      String from,
      String stopAfter) {
    this.checkpoints = checkpoints;
    this.baseVersion = baseVersion;
    this.sizes = sizes;
    this.overrides = overrides;
    this.from = from;
    this.stopAfter = stopAfter;
  }

  Result run(Judge judge, long seed) throws Exception {
    Prompts drawn = Prompts.of(judge, seed, sizes);
    List<DemoPrompt> demoPrompts = drawn.demonstrations();
    List<DemoPrompt> rankingPrompts = drawn.ranking();
    List<DemoPrompt> heldOut = drawn.heldOut();
    Path saved = checkpoints.resolveSibling("alignment-" + judge.name() + "-" + seed + ".json");
    Progress progress;
    if (from == null) {
      progress = labelAndFineTune(judge, demoPrompts, rankingPrompts, heldOut);
      JSON.writeValue(saved.toFile(), progress);
    } else {
      progress = JSON.readValue(saved.toFile(), Progress.class);
    }
    Map<String, Duration> times = new LinkedHashMap<>();
    progress.secondsByStage().forEach((k, v) -> times.put(k, Duration.ofSeconds(v)));
    Cycles cycles = new Cycles(progress.researcher(), PATIENCE);
    String project = progress.project();
    String rmVersion = progress.rm();
    if (rmVersion == null || "REWARD".equals(from)) {
      Cycles.Produced rm = cycles.run(project, "REWARD", progress.sft(), null, overrides("REWARD"));
      times.put("REWARD", rm.took());
      rmVersion = rm.version();
      progress = progress.with(rmVersion, null, seconds(times));
      JSON.writeValue(saved.toFile(), progress);
    }
    if ("REWARD".equals(stopAfter)) {
      System.out.printf("reward model %s: %s%n", rmVersion, cycles.metrics(rmVersion));
      return null;
    }
    String ppoVersion = progress.ppo();
    if ("DPO".equals(from) && ppoVersion == null) {
      throw new IllegalStateException(
          "--from DPO needs an earlier run's PPO version: run PPO once");
    }
    if (!"DPO".equals(from)) {
      Cycles.Produced ppo = cycles.run(project, "PPO", progress.sft(), rmVersion, overrides("PPO"));
      times.put("PPO", ppo.took());
      ppoVersion = ppo.version();
      progress = progress.with(rmVersion, ppoVersion, seconds(times));
      JSON.writeValue(saved.toFile(), progress);
    }
    String sftVersion = progress.sft();
    // The route without a reward model, from the same SFT version and rankings.
    Cycles.Produced dpo = cycles.run(project, "DPO", sftVersion, null, overrides("DPO"));
    times.put("DPO", dpo.took());

    long start = System.nanoTime();
    Evaluation evaluation = new Evaluation(checkpoints, judge, heldOut, seed);
    Map<String, Evaluation.Answers> answers = new LinkedHashMap<>();
    // PPO last: the report compares the last version with SFT.
    for (String version : List.of(baseVersion, sftVersion, dpo.version(), ppoVersion)) {
      answers.put(version, evaluation.answers(version));
    }
    Map<String, Double> kl = new LinkedHashMap<>();
    kl.put(sftVersion, evaluation.klTo(answers.get(sftVersion), baseVersion));
    kl.put(ppoVersion, evaluation.klTo(answers.get(ppoVersion), sftVersion));
    kl.put(dpo.version(), evaluation.klTo(answers.get(dpo.version()), sftVersion));
    Evaluation.Agreement agreement = evaluation.rewardAgreement(rmVersion, answers.values());
    times.put("evaluation", since(start));
    return new Result(
        judge,
        seed,
        answers,
        kl,
        heldOut,
        times,
        progress.rankings(),
        completionSummary(progress.researcher(), project),
        cycles.metrics(rmVersion),
        cycles.metrics(ppoVersion),
        Map.of(
            sftVersion,
            cycles.view(sftVersion),
            dpo.version(),
            cycles.view(dpo.version()),
            ppoVersion,
            cycles.view(ppoVersion)),
        dpo.version(),
        cycles.metrics(dpo.version()),
        agreement);
  }

  /** Demonstrations, SFT, the SFT policy's completions ranked: everything before the RM. */
  private Progress labelAndFineTune(
      Judge judge,
      List<DemoPrompt> demoPrompts,
      List<DemoPrompt> rankingPrompts,
      List<DemoPrompt> heldOut)
      throws InterruptedException {
    Map<String, Duration> times = new LinkedHashMap<>();
    String researcher = Researcher.account("researcher");
    String project = Researcher.project(researcher, 1, sizes.overlap());
    // The same held-out prompts are the project's evaluation set, so the platform's own evaluation
    // of each version answers them too.
    importHeldOut(researcher, project, heldOut);
    Map<String, DemoPrompt> questions = new HashMap<>();
    for (List<DemoPrompt> ps : List.of(demoPrompts, rankingPrompts)) {
      ps.forEach(p -> questions.putIfAbsent(p.question(), p));
    }
    Crew crew = new Crew(sizes.crew(), judge, questions);
    Cycles cycles = new Cycles(researcher, PATIENCE);

    long start = System.nanoTime();
    // The demo world has some 240 distinct questions, so they recur: kept as asked, not merged.
    Researcher.repeatedPrompts(researcher, project, true, texts(demoPrompts));
    crew.demonstrate(project);
    times.put("demonstrations", since(start));

    Cycles.Produced sft = cycles.run(project, "SFT", baseVersion, null, overrides("SFT"));
    times.put("SFT", sft.took());

    start = System.nanoTime();
    List<String> ids =
        Researcher.repeatedPrompts(researcher, project, false, texts(rankingPrompts));
    for (int from = 0; from < ids.size(); from += 1000) {
      as(researcher)
          .body(
              Map.of(
                  "promptIds",
                  ids.subList(from, Math.min(ids.size(), from + 1000)),
                  "k",
                  sizes.k(),
                  "policyVersion",
                  sft.version()))
          .post("/api/projects/" + project + "/completion-requests")
          .then()
          .statusCode(202);
    }
    Crew.RankingCounts rankings =
        crew.rank(
            project,
            () -> {
              JsonPath s = completionSummary(researcher, project);
              return s.getInt("fulfilled") >= s.getInt("requested");
            });
    times.put("completions and rankings", since(start));
    return new Progress(researcher, project, sft.version(), null, rankings, seconds(times), null);
  }

  private static Map<String, Long> seconds(Map<String, Duration> times) {
    Map<String, Long> out = new LinkedHashMap<>();
    times.forEach((k, v) -> out.put(k, v.toSeconds()));
    return out;
  }

  private Map<String, String> overrides(String stage) {
    return overrides.getOrDefault(stage, Map.of());
  }

  private static void importHeldOut(String researcher, String project, List<DemoPrompt> prompts) {
    StringBuilder jsonl = new StringBuilder();
    for (DemoPrompt p : prompts) {
      jsonl
          .append(Researcher.json(Map.of("prompt", p.question(), "source", "held out")))
          .append('\n');
    }
    io.restassured.RestAssured.given()
        .auth()
        .preemptive()
        .basic(researcher, Researcher.PASSWORD)
        .contentType("application/x-ndjson")
        .body(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/projects/" + project + "/prompts/import?heldOut=true&duplicates=keep")
        .then()
        .statusCode(200);
  }

  private static JsonPath completionSummary(String researcher, String project) {
    return as(researcher)
        .get("/api/projects/" + project + "/completion-requests/summary")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** {@code count} questions, the judge's kinds taking turns in a shuffled order. */
  private static List<DemoPrompt> draw(DemoWorld world, Judge judge, int count) {
    List<DemoPrompt> out = new ArrayList<>();
    List<DemoPrompt.Kind> kinds = judge.kinds();
    for (int i = 0; i < count; i++) out.add(world.next(kinds.get(i % kinds.size())));
    java.util.Collections.shuffle(out, new java.util.Random(count * 31L + out.size()));
    return out;
  }

  private static String[] texts(List<DemoPrompt> prompts) {
    return prompts.stream().map(DemoPrompt::question).toArray(String[]::new);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
