package dev.rlhf.launcher.alignment;

import dev.rlhf.lm.demo.DemoPrompt;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The benchmark's tables: one per run, then medians over seeds per judge against the targets. */
final class Report {

  /** labeling-service's default rlhf.gates.min-reward-accuracy. */
  private static final double REWARD_GATE = 0.7;

  private Report() {}

  static void run(PrintStream out, AlignmentRun.Result r, Duration took) {
    List<String> versions = new ArrayList<>(r.answers().keySet());
    Evaluation.Answers base = r.answers().get(versions.get(0));
    Evaluation.Answers sft = r.answers().get(versions.get(1));
    out.printf(
        "%n### judge %s, seed %d (%d held-out prompts)%n%n",
        r.judge().name(), r.seed(), r.heldOut().size());
    out.println(
        "| version | score greedy / T=1 | correct greedy / T=1 | correct by kind, T=1 | vs SFT T=1 (W/T/L) | vs SFT greedy | vs base T=1 | KL to parent | length |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (String v : versions) {
      Evaluation.Answers a = r.answers().get(v);
      out.printf(
          "| %s | %.2f / %.2f | %.2f / %.2f | %s | %s | %s | %s | %s | %.1f |%n",
          v,
          a.meanScore(false),
          a.meanScore(true),
          a.correctShare(false),
          a.correctShare(true),
          byKind(a.correctByKind(r.heldOut(), true)),
          Evaluation.Comparison.of(a.sampled(), sft.sampled()),
          Evaluation.Comparison.of(a.greedy(), sft.greedy()),
          Evaluation.Comparison.of(a.sampled(), base.sampled()),
          r.klToParent().containsKey(v) ? String.format("%.2f", r.klToParent().get(v)) : "",
          a.meanLength());
    }
    out.printf(
        "%nreward model: held-out accuracy %s on %s held-out pairs (%s training pairs); rankings %d,"
            + " all tied %d, all bad %d; completion requests %s%n",
        fmt(r.rewardMetrics().get("heldout_accuracy")),
        r.rewardMetrics().get("heldout_pairs"),
        r.rewardMetrics().get("train_pairs"),
        r.rankings().rankings(),
        r.rankings().allTied(),
        r.rankings().allBad(),
        r.completionSummary().getMap(""));
    out.printf(
        "reward model check: %s held-out accuracy of its check model; interval %s to %s%n",
        fmt(r.rewardMetrics().get("check_heldout_accuracy")),
        fmt(r.rewardMetrics().get("heldout_accuracy_low")),
        fmt(r.rewardMetrics().get("heldout_accuracy_high")));
    out.printf(
        "reward model against the judge on the versions' held-out answers: %s%n",
        r.rewardAgreement());
    Number accuracy = r.rewardMetrics().get("heldout_accuracy");
    out.printf(
        "reward gate (%.2f): %s%n",
        REWARD_GATE,
        accuracy != null && accuracy.doubleValue() >= REWARD_GATE
            ? "passed"
            : "would refuse PPO with this reward model; the benchmark overrides it to measure PPO");
    out.printf("PPO metrics: %s%n", r.ppoMetrics());
    out.printf("DPO metrics: %s%n", r.dpoMetrics());
    r.platformViews()
        .forEach(
            (version, view) ->
                out.printf(
                    "platform evaluation of %s: %s; %s%s%n",
                    version,
                    view.getBoolean("evaluation.passed") ? "passed" : "failed",
                    view.getList("evaluation.reasons"),
                    view.getList("warnings").isEmpty()
                        ? ""
                        : "; warnings " + view.getList("warnings")));
    out.printf(
        "wall time: %s; run %d s%n",
        r.stageTimes().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue().toSeconds() + " s")
            .collect(Collectors.joining(", ")),
        took.toSeconds());
    // Where the trained versions and SFT are judged differently: what changed, answer by answer.
    List<String> trained = versions.subList(2, versions.size());
    out.printf(
        "answers judged differently from SFT's (held-out prompt: SFT | %s, at T=1):%n",
        String.join(" | ", trained));
    int shown = 0;
    for (int i = 0; i < r.heldOut().size() && shown < 12; i++) {
      int at = i;
      double sftScore = sft.sampled().get(i).score();
      if (trained.stream()
          .allMatch(v -> r.answers().get(v).sampled().get(at).score() == sftScore)) {
        continue;
      }
      StringBuilder line = new StringBuilder("  " + r.heldOut().get(i).question() + ": ");
      line.append(sft.sampled().get(i).text().replace('\n', ' '));
      for (String v : trained) {
        line.append(" | ").append(r.answers().get(v).sampled().get(i).text().replace('\n', ' '));
      }
      out.println(line);
      shown++;
    }
    out.flush();
  }

  /** Per judge, the median over seeds of what the targets name, and whether each is met. */
  static void summary(PrintStream out, List<AlignmentRun.Result> results) {
    Map<String, List<AlignmentRun.Result>> byJudge = new LinkedHashMap<>();
    results.forEach(r -> byJudge.computeIfAbsent(r.judge().name(), j -> new ArrayList<>()).add(r));
    out.printf("%n## Medians over seeds (PPO against SFT)%n%n");
    out.println(
        "| judge | seeds | RM held-out acc (>= 0.85) | T=1 wins / losses (>= 2x) | T=1 score PPO - SFT (>= +0.05) | greedy wins / losses (>= 1x) | KL (<= 10) | length PPO / SFT (>= 0.6) |");
    out.println("|---|---|---|---|---|---|---|---|");
    for (var e : byJudge.entrySet()) {
      List<AlignmentRun.Result> rs = e.getValue();
      out.printf(
          "| %s | %d | %.3f | %s | %+.3f | %s | %.2f | %.2f |%n",
          e.getKey(),
          rs.size(),
          median(rs, r -> r.rewardMetrics().get("heldout_accuracy").doubleValue()),
          ratio(median(rs, r -> cmp(r, true).wins()), median(rs, r -> cmp(r, true).losses())),
          median(rs, r -> last(r).meanScore(true) - sft(r).meanScore(true)),
          ratio(median(rs, r -> cmp(r, false).wins()), median(rs, r -> cmp(r, false).losses())),
          median(rs, r -> r.klToParent().get(lastName(r))),
          median(rs, r -> last(r).meanLength() / sft(r).meanLength()));
    }
    dpoSummary(out, byJudge);
    out.flush();
  }

  /** Per judge, the medians of DPO's targets and DPO against PPO on the same labels. */
  private static void dpoSummary(PrintStream out, Map<String, List<AlignmentRun.Result>> byJudge) {
    out.printf("%n## Medians over seeds (DPO against SFT, and against PPO on the same labels)%n%n");
    out.println(
        "| judge | seeds | DPO implicit-reward held-out acc (>= 0.80) | T=1 wins / losses vs SFT (>= 2x) | T=1 score DPO - SFT | greedy wins / losses vs SFT | T=1 wins / losses vs PPO | T=1 score DPO - PPO | KL DPO / PPO | length DPO / SFT | wall s DPO / RM + PPO (<= 1/3) |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (var e : byJudge.entrySet()) {
      List<AlignmentRun.Result> rs = e.getValue();
      out.printf(
          "| %s | %d | %.3f | %s | %+.3f | %s | %s | %+.3f | %.2f / %.2f | %.2f | %.0f / %.0f |%n",
          e.getKey(),
          rs.size(),
          median(rs, r -> r.dpoMetrics().get("heldout_accuracy").doubleValue()),
          ratio(
              median(rs, r -> dpoVs(r, sft(r), true).wins()),
              median(rs, r -> dpoVs(r, sft(r), true).losses())),
          median(rs, r -> dpo(r).meanScore(true) - sft(r).meanScore(true)),
          ratio(
              median(rs, r -> dpoVs(r, sft(r), false).wins()),
              median(rs, r -> dpoVs(r, sft(r), false).losses())),
          ratio(
              median(rs, r -> dpoVs(r, last(r), true).wins()),
              median(rs, r -> dpoVs(r, last(r), true).losses())),
          median(rs, r -> dpo(r).meanScore(true) - last(r).meanScore(true)),
          median(rs, r -> r.klToParent().get(r.dpoVersion())),
          median(rs, r -> r.klToParent().get(lastName(r))),
          median(rs, r -> dpo(r).meanLength() / sft(r).meanLength()),
          median(rs, r -> r.stageTimes().get("DPO").toSeconds()),
          median(
              rs,
              r ->
                  r.stageTimes().get("REWARD").toSeconds()
                      + r.stageTimes().get("PPO").toSeconds()));
    }
  }

  private static Evaluation.Answers dpo(AlignmentRun.Result r) {
    return r.answers().get(r.dpoVersion());
  }

  private static Evaluation.Comparison dpoVs(
      AlignmentRun.Result r, Evaluation.Answers other, boolean sampled) {
    return sampled
        ? Evaluation.Comparison.of(dpo(r).sampled(), other.sampled())
        : Evaluation.Comparison.of(dpo(r).greedy(), other.greedy());
  }

  private static Evaluation.Comparison cmp(AlignmentRun.Result r, boolean sampled) {
    return sampled
        ? Evaluation.Comparison.of(last(r).sampled(), sft(r).sampled())
        : Evaluation.Comparison.of(last(r).greedy(), sft(r).greedy());
  }

  private static Evaluation.Answers sft(AlignmentRun.Result r) {
    return new ArrayList<>(r.answers().values()).get(1);
  }

  private static Evaluation.Answers last(AlignmentRun.Result r) {
    return r.answers().get(lastName(r));
  }

  private static String lastName(AlignmentRun.Result r) {
    List<String> names = new ArrayList<>(r.answers().keySet());
    return names.get(names.size() - 1);
  }

  private static String ratio(double wins, double losses) {
    return String.format("%.0f / %.0f", wins, losses);
  }

  private static double median(
      List<AlignmentRun.Result> rs, ToDoubleFunction<AlignmentRun.Result> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String byKind(Map<DemoPrompt.Kind, Double> shares) {
    return shares.entrySet().stream()
        .map(
            e ->
                e.getKey().name().toLowerCase().substring(0, 3)
                    + " "
                    + String.format("%.2f", e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String fmt(Number n) {
    return n == null ? "?" : String.format("%.3f", n.doubleValue());
  }

  static String join(double... values) {
    return Arrays.toString(values);
  }
}
