package dev.rlhf.labeling.quality;

import dev.rlhf.labeling.quality.QualityData.ChecklistRow;
import dev.rlhf.labeling.quality.QualityData.DemonstrationRow;
import dev.rlhf.labeling.quality.QualityData.RankingRow;
import dev.rlhf.labeling.quality.QualityData.RatingRow;
import dev.rlhf.labeling.quality.QualityTable.ContractorQuality;
import dev.rlhf.labeling.quality.QualityTable.DailyQuality;
import dev.rlhf.labeling.quality.QualityTable.ProjectQuality;
import dev.rlhf.labeling.quality.measures.KrippendorffAlpha;
import dev.rlhf.labeling.quality.measures.RankingAgreement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** Computes the quality table from its data; a pure function, tested on its own. */
final class QualityFigures {

  private QualityFigures() {}

  static QualityTable compute(
      UUID projectId, QualityData data, Map<UUID, Double> reviewRates, TrustRule rule) {
    Map<UUID, Tally> byContractor = new HashMap<>();
    Tally all = new Tally(null);
    Map<UUID, List<RankingRow>> byTask = new LinkedHashMap<>();
    for (RankingRow r : data.rankings()) {
      Tally t = byContractor.computeIfAbsent(r.contractorId(), id -> new Tally(r.username()));
      Day day = t.day(r.createdAt());
      t.times.add(r.timeSpentMs());
      all.times.add(r.timeSpentMs());
      day.answers++;
      List<List<UUID>> required = data.gold().get(r.taskId());
      if (required != null) {
        int met = RankingAgreement.requiredPairsMet(r.ranks(), required);
        for (Tally x : List.of(t, all)) x.gold(met, required.size());
        day.gold(met, required.size());
      } else {
        t.rankings++;
        all.rankings++;
      }
      byTask.computeIfAbsent(r.taskId(), id -> new ArrayList<>()).add(r);
    }
    int sharedTasks = 0;
    for (List<RankingRow> task : byTask.values()) {
      if (task.size() < 2) continue;
      sharedTasks++;
      for (int i = 0; i < task.size(); i++) {
        for (int j = i + 1; j < task.size(); j++) {
          RankingRow a = task.get(i);
          RankingRow b = task.get(j);
          OptionalDouble agreement = RankingAgreement.pairwise(a.ranks(), b.ranks());
          OptionalDouble tau = RankingAgreement.kendallTau(a.ranks(), b.ranks());
          all.compare(agreement, tau);
          for (RankingRow own : List.of(a, b)) {
            Tally t = byContractor.get(own.contractorId());
            t.compare(agreement, tau);
            agreement.ifPresent(x -> t.day(own.createdAt()).agreement(x));
          }
        }
      }
    }
    for (DemonstrationRow d : data.demonstrations()) {
      Tally t = byContractor.computeIfAbsent(d.contractorId(), id -> new Tally(d.username()));
      t.demonstrations++;
      t.times.add(d.timeSpentMs());
      all.demonstrations++;
      all.times.add(d.timeSpentMs());
    }
    // Demonstration gold joins gold accuracy item by item: a checklist item met counts as a
    // required pair met, so the figure is the share of all gold checks (pairs and items) met.
    for (ChecklistRow c : data.checklists()) {
      Tally t = byContractor.computeIfAbsent(c.contractorId(), id -> new Tally(c.username()));
      for (Tally x : List.of(t, all)) x.gold(c.met(), c.items());
      t.day(c.createdAt()).gold(c.met(), c.items());
    }
    List<ContractorQuality> contractors = new ArrayList<>();
    byContractor.forEach(
        (id, t) -> {
          Double gold = t.goldAccuracy();
          Double agreement = t.agreement();
          TrustRule.Evidence goldEvidence = new TrustRule.Evidence(gold, t.goldAnswers);
          TrustRule.Evidence agreementEvidence =
              new TrustRule.Evidence(agreement, t.agreementCount);
          contractors.add(
              new ContractorQuality(
                  id,
                  t.username,
                  t.rankings,
                  t.demonstrations,
                  t.goldAnswers,
                  gold,
                  t.comparisons,
                  agreement,
                  t.tau(),
                  t.medianSeconds(),
                  reviewRates.get(id),
                  rule.weight(goldEvidence, agreementEvidence),
                  !rule.passes(goldEvidence, agreementEvidence),
                  rule.flagged(goldEvidence, agreementEvidence),
                  t.history()));
        });
    contractors.sort(Comparator.comparing(ContractorQuality::username));
    ProjectQuality project =
        new ProjectQuality(
            contractors.size(),
            all.rankings,
            all.goldAnswers,
            sharedTasks,
            all.agreement(),
            all.tau(),
            all.goldAccuracy(),
            ratingAlpha(data.ratings()),
            all.medianSeconds(),
            meanOf(reviewRates.values()));
    return new QualityTable(projectId, project, contractors, rule);
  }

  /** Ordinal alpha per Likert axis: the ratings are ordered categories, not equal steps. */
  static Map<String, Double> ratingAlpha(List<RatingRow> ratings) {
    Map<String, Function<RatingRow, Integer>> axes = new LinkedHashMap<>();
    axes.put("helpful", RatingRow::helpful);
    axes.put("truthful", RatingRow::truthful);
    axes.put("harmless", RatingRow::harmless);
    Map<String, Double> alpha = new LinkedHashMap<>();
    axes.forEach(
        (axis, value) -> {
          Map<UUID, List<Double>> units = new LinkedHashMap<>();
          for (RatingRow r : ratings) {
            Integer v = value.apply(r);
            if (v != null) {
              units.computeIfAbsent(r.completionId(), id -> new ArrayList<>()).add((double) v);
            }
          }
          OptionalDouble a =
              KrippendorffAlpha.of(
                  new ArrayList<>(units.values()), KrippendorffAlpha.Metric.ORDINAL);
          alpha.put(axis, a.isPresent() ? a.getAsDouble() : null);
        });
    return alpha;
  }

  private static Double meanOf(java.util.Collection<Double> values) {
    return values.isEmpty()
        ? null
        : values.stream().mapToDouble(Double::doubleValue).average().getAsDouble();
  }

  /** Running sums of one contractor (or of everybody). */
  private static final class Tally {
    final String username;
    int rankings;
    int demonstrations;
    int goldAnswers;
    long goldMet;
    long goldTotal;
    int comparisons;
    double agreementSum;
    int agreementCount;
    double tauSum;
    int tauCount;
    final List<Long> times = new ArrayList<>();
    final TreeMap<LocalDate, Day> days = new TreeMap<>();

    Tally(String username) {
      this.username = username;
    }

    Day day(java.time.Instant at) {
      return days.computeIfAbsent(LocalDate.ofInstant(at, ZoneOffset.UTC), d -> new Day());
    }

    void gold(int met, int total) {
      goldAnswers++;
      goldMet += met;
      goldTotal += total;
    }

    void compare(OptionalDouble agreement, OptionalDouble tau) {
      comparisons++;
      if (agreement.isPresent()) {
        agreementSum += agreement.getAsDouble();
        agreementCount++;
      }
      if (tau.isPresent()) {
        tauSum += tau.getAsDouble();
        tauCount++;
      }
    }

    Double goldAccuracy() {
      return goldTotal == 0 ? null : (double) goldMet / goldTotal;
    }

    Double agreement() {
      return agreementCount == 0 ? null : agreementSum / agreementCount;
    }

    Double tau() {
      return tauCount == 0 ? null : tauSum / tauCount;
    }

    Double medianSeconds() {
      if (times.isEmpty()) return null;
      List<Long> sorted = times.stream().sorted().toList();
      int n = sorted.size();
      double ms =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
      return ms / 1000;
    }

    List<DailyQuality> history() {
      List<DailyQuality> out = new ArrayList<>();
      days.forEach(
          (date, d) ->
              out.add(
                  new DailyQuality(
                      date,
                      d.answers,
                      d.goldTotal == 0 ? null : (double) d.goldMet / d.goldTotal,
                      d.agreementCount == 0 ? null : d.agreementSum / d.agreementCount)));
      return out;
    }
  }

  /** One day of one contractor. */
  private static final class Day {
    int answers;
    long goldMet;
    long goldTotal;
    double agreementSum;
    int agreementCount;

    void gold(int met, int total) {
      goldMet += met;
      goldTotal += total;
    }

    void agreement(double value) {
      agreementSum += value;
      agreementCount++;
    }
  }
}
