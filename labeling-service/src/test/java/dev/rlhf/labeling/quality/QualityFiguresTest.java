package dev.rlhf.labeling.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rlhf.labeling.quality.QualityData.DemonstrationRow;
import dev.rlhf.labeling.quality.QualityData.RankingRow;
import dev.rlhf.labeling.quality.QualityTable.ContractorQuality;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QualityFiguresTest {

  private final UUID a = UUID.randomUUID();
  private final UUID b = UUID.randomUUID();
  private final UUID c = UUID.randomUUID();
  private final UUID ann = UUID.randomUUID();
  private final UUID bob = UUID.randomUUID();
  private final UUID cat = UUID.randomUUID();
  // Confidence 0.5: flagged on the figures alone (TrustRuleTest weighs the evidence).
  private final TrustRule rule =
      new TrustRule(0.7, 0.5, TrustRule.BelowThreshold.EXCLUDE, 0.25, 0.5);

  private RankingRow ranking(UUID task, UUID who, String day, long ms, UUID... bestFirst) {
    Map<UUID, Integer> ranks = new LinkedHashMap<>();
    for (int i = 0; i < bestFirst.length; i++) ranks.put(bestFirst[i], i + 1);
    return new RankingRow(
        UUID.randomUUID(),
        task,
        who,
        who.equals(ann) ? "ann" : who.equals(bob) ? "bob" : "cat",
        ms,
        Instant.parse(day + "T12:00:00Z"),
        ranks);
  }

  private static ContractorQuality row(QualityTable table, String name) {
    return table.contractors().stream()
        .filter(x -> x.username().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Gold task requires a > b and a > c. Ann orders a, b, c (meets 2 of 2); Bob orders c, b, a
   * (meets 0 of 2) on day one, and on day two both rank an ordinary task alike.
   */
  @Test
  void shouldScoreGoldAnswersApartFromOrdinaryRankingsAndKeepThemPerDay() {
    UUID goldTask = UUID.randomUUID();
    UUID ordinary = UUID.randomUUID();
    QualityData data =
        new QualityData(
            List.of(
                ranking(goldTask, ann, "2026-12-01", 2_000, a, b, c),
                ranking(goldTask, bob, "2026-12-01", 1_000, c, b, a),
                ranking(ordinary, ann, "2026-12-02", 4_000, a, b),
                ranking(ordinary, bob, "2026-12-02", 3_000, a, b)),
            Map.of(goldTask, List.of(List.of(a, b), List.of(a, c))),
            List.of(),
            List.of(new DemonstrationRow(ann, "ann", 60_000)));

    QualityTable table = QualityFigures.compute(null, data, Map.of(bob, 0.5), rule);

    ContractorQuality annRow = row(table, "ann");
    ContractorQuality bobRow = row(table, "bob");
    assertThat(annRow.goldAnswers()).isEqualTo(1);
    assertThat(annRow.goldAccuracy()).isEqualTo(1.0);
    assertThat(annRow.rankings()).as("the gold answer is no ordinary ranking").isEqualTo(1);
    assertThat(bobRow.goldAccuracy()).isEqualTo(0.0);
    // Agreement counts every shared task, gold ones too: 0 on the gold task, 1 on the other.
    assertThat(annRow.pairwiseAgreement()).isEqualTo(0.5);
    assertThat(annRow.comparisons()).isEqualTo(2);
    // Median of 2 s, 4 s and the 60 s demonstration.
    assertThat(annRow.medianSecondsPerTask()).isEqualTo(4.0);
    assertThat(annRow.demonstrations()).isEqualTo(1);
    assertThat(bobRow.reviewAcceptanceRate()).isEqualTo(0.5);
    assertThat(annRow.reviewAcceptanceRate()).isNull();

    assertThat(bobRow.underThreshold()).isTrue();
    assertThat(bobRow.underThresholdOn()).containsExactly("goldAccuracy");
    assertThat(bobRow.trustWeight()).as("excluded").isEqualTo(0.0);
    assertThat(annRow.trustWeight()).isEqualTo(1.0);

    assertThat(bobRow.history())
        .extracting(QualityTable.DailyQuality::day)
        .containsExactly(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"));
    assertThat(bobRow.history().get(0).goldAccuracy()).isEqualTo(0.0);
    assertThat(bobRow.history().get(0).pairwiseAgreement()).isEqualTo(0.0);
    assertThat(bobRow.history().get(1).goldAccuracy()).isNull();
    assertThat(bobRow.history().get(1).pairwiseAgreement()).isEqualTo(1.0);

    assertThat(table.project().goldAnswers()).isEqualTo(2);
    assertThat(table.project().goldAccuracy()).isEqualTo(0.5);
    assertThat(table.project().sharedTasks()).isEqualTo(2);
    assertThat(table.project().reviewAcceptanceRate()).isEqualTo(0.5);
  }

  /**
   * The rule sees how many units each figure rests on: gold answers (not gold pairs) and
   * comparisons with peers. On three gold tasks Ann and Cat meet every required pair, Bob orders
   * the reverse.
   */
  @Test
  void shouldGiveTheRuleGoldAnswersAndComparisonsAsEvidence() {
    List<RankingRow> rows = new java.util.ArrayList<>();
    Map<UUID, List<List<UUID>>> gold = new java.util.HashMap<>();
    for (int i = 0; i < 3; i++) {
      UUID task = UUID.randomUUID();
      gold.put(task, List.of(List.of(a, b), List.of(a, c), List.of(b, c)));
      rows.add(ranking(task, ann, "2026-12-01", 1_000, a, b, c));
      rows.add(ranking(task, cat, "2026-12-01", 1_000, a, b, c));
      rows.add(ranking(task, bob, "2026-12-01", 1_000, c, b, a));
    }
    QualityData data = new QualityData(rows, gold, List.of(), List.of());
    TrustRule weighing = new TrustRule(0.7, 0.6, TrustRule.BelowThreshold.DOWN_WEIGHT, 0.25, 0.95);

    QualityTable table = QualityFigures.compute(null, data, Map.of(), weighing);

    ContractorQuality bobRow = row(table, "bob");
    assertThat(bobRow.goldAnswers()).isEqualTo(3);
    assertThat(bobRow.comparisons()).isEqualTo(6);
    // Three answers at 0: at most 0.47 at 95% (nine pairs would say 0.23); six comparisons at 0:
    // at most 0.31. Both under chance, so nothing is left of the down-weight.
    assertThat(weighing.upperBound(new TrustRule.Evidence(0.0, 3))).isCloseTo(0.474, within(1e-3));
    assertThat(bobRow.underThresholdOn()).containsExactly("goldAccuracy", "pairwiseAgreement");
    assertThat(bobRow.underThreshold()).isTrue();
    assertThat(bobRow.trustWeight()).isZero();
    // Ann agrees with Cat on every pair and with Bob on none: 0.5 over six comparisons may still
    // be 0.6 or more, so it is not held against her.
    ContractorQuality annRow = row(table, "ann");
    assertThat(annRow.pairwiseAgreement()).isEqualTo(0.5);
    assertThat(annRow.underThreshold()).isFalse();
    assertThat(annRow.trustWeight()).isEqualTo(1.0);
  }

  @Test
  void shouldNotHoldMissingFiguresAgainstAContractor() {
    TrustRule.Evidence none = TrustRule.Evidence.NONE;
    assertThat(rule.weight(none, none)).isEqualTo(1.0);
    assertThat(rule.weight(new TrustRule.Evidence(0.9, 2), none)).isEqualTo(1.0);
    assertThat(rule.weight(new TrustRule.Evidence(0.5, 2), none)).isEqualTo(0.0);
    TrustRule lenient = new TrustRule(0.7, null, TrustRule.BelowThreshold.DOWN_WEIGHT, 0.25, 0.5);
    // 0.6 is half the skill above chance that 0.7 asks.
    assertThat(lenient.weight(new TrustRule.Evidence(0.6, 2), new TrustRule.Evidence(0.0, 9)))
        .isCloseTo(0.125, within(1e-12));
  }
}
