package dev.rlhf.labeling.quality;

import static org.assertj.core.api.Assertions.assertThat;

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
  private final TrustRule rule = new TrustRule(0.7, 0.5, TrustRule.BelowThreshold.EXCLUDE, 0.25);

  private RankingRow ranking(UUID task, UUID who, String day, long ms, UUID... bestFirst) {
    Map<UUID, Integer> ranks = new LinkedHashMap<>();
    for (int i = 0; i < bestFirst.length; i++) ranks.put(bestFirst[i], i + 1);
    return new RankingRow(
        UUID.randomUUID(),
        task,
        who,
        who.equals(ann) ? "ann" : "bob",
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

  @Test
  void shouldNotHoldMissingFiguresAgainstAContractor() {
    assertThat(rule.weight(null, null)).isEqualTo(1.0);
    assertThat(rule.weight(0.9, null)).isEqualTo(1.0);
    assertThat(rule.weight(0.5, null)).isEqualTo(0.0);
    TrustRule lenient = new TrustRule(0.7, null, TrustRule.BelowThreshold.DOWN_WEIGHT, 0.25);
    assertThat(lenient.weight(0.5, 0.0)).isEqualTo(0.25);
  }
}
