package dev.rlhf.labeling.quality.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rlhf.labeling.quality.measures.KrippendorffAlpha.Metric;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KrippendorffAlphaTest {

  /**
   * The worked example of Krippendorff (2011), section C: four observers, twelve units, values 1 to
   * 5, some missing. Unit 12 has a single value and cannot be paired. The paper gives alpha 0.743
   * (nominal), 0.815 (ordinal) and 0.849 (interval).
   */
  private static final List<List<Double>> PAPER_EXAMPLE =
      List.of(
          values(1, 1, 1),
          values(2, 2, 3, 2),
          values(3, 3, 3, 3),
          values(3, 3, 3, 3),
          values(2, 2, 2, 2),
          values(1, 2, 3, 4),
          values(4, 4, 4, 4),
          values(1, 1, 2, 1),
          values(2, 2, 2, 2),
          values(5, 5, 5),
          values(1, 1),
          values(3));

  private static List<Double> values(double... v) {
    return Arrays.stream(v).boxed().toList();
  }

  @Test
  void shouldGiveThePapersAlphaForEachMetric() {
    assertThat(KrippendorffAlpha.of(PAPER_EXAMPLE, Metric.NOMINAL).getAsDouble())
        .isCloseTo(0.743, within(0.0005));
    assertThat(KrippendorffAlpha.of(PAPER_EXAMPLE, Metric.ORDINAL).getAsDouble())
        .isCloseTo(0.815, within(0.0005));
    assertThat(KrippendorffAlpha.of(PAPER_EXAMPLE, Metric.INTERVAL).getAsDouble())
        .isCloseTo(0.849, within(0.0005));
  }

  @Test
  void shouldGiveOneForPerfectAgreementAndBelowZeroForSystematicDisagreement() {
    assertThat(
            KrippendorffAlpha.of(List.of(values(1, 1), values(3, 3), values(5, 5)), Metric.ORDINAL)
                .getAsDouble())
        .isEqualTo(1.0);
    // Two raters who always disagree by the whole scale: worse than chance.
    assertThat(
            KrippendorffAlpha.of(List.of(values(1, 5), values(5, 1)), Metric.INTERVAL)
                .getAsDouble())
        .isLessThan(0);
  }

  /**
   * Hand computation, nominal: units {1,1} and {1,2}. Coincidences o11 = 2, o12 = o21 = 1, so n1 =
   * 3, n2 = 1, n = 4; observed disagreement 2 (o12 + o21), expected n1 n2 + n2 n1 = 6; alpha = 1 -
   * (n - 1) 2 / 6 = 0.
   */
  @Test
  void shouldMatchAHandComputedSmallCase() {
    assertThat(
            KrippendorffAlpha.of(List.of(values(1, 1), values(1, 2)), Metric.NOMINAL).getAsDouble())
        .isCloseTo(0.0, within(1e-12));
  }

  @Test
  void shouldBeUndefinedWithoutPairableOrVariedValues() {
    assertThat(KrippendorffAlpha.of(List.of(values(3), values(4)), Metric.ORDINAL)).isEmpty();
    assertThat(KrippendorffAlpha.of(List.of(values(3, 3), values(3, 3)), Metric.ORDINAL)).isEmpty();
  }
}
