package dev.rlhf.labeling.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RewardUncertaintyTest {

  @Test
  void shouldBeOneWhereNoPairCanBeToldApartAndNearZeroWhereEveryPairIsSure() {
    assertThat(RewardUncertainty.of(List.of(0.3, 0.3, 0.3), List.of())).isEqualTo(1.0);
    assertThat(RewardUncertainty.of(List.of(10.0, 0.0, -10.0), List.of())).isLessThan(0.001);
    // One pair of three tied: (1 + 2 x 4 p (1 - p) at a margin of 10) / 3.
    assertThat(RewardUncertainty.of(List.of(5.0, 5.0, -5.0), List.of()))
        .isCloseTo(1.0 / 3, within(0.001));
    assertThat(RewardUncertainty.of(List.of(1.0), List.of())).isZero();
  }

  @Test
  void shouldCountAPairTheTwoModelsOrderOppositelyAsUncertain() {
    double agree = RewardUncertainty.of(List.of(3.0, -3.0), List.of(3.0, -3.0));
    double disagree = RewardUncertainty.of(List.of(3.0, -3.0), List.of(-3.0, 3.0));

    assertThat(agree).isLessThan(0.01);
    assertThat(disagree).isCloseTo(1.0, within(1e-9));
    // Without a check model the reward model's own certainty decides.
    assertThat(RewardUncertainty.of(List.of(3.0, -3.0), List.of())).isEqualTo(agree);
  }

  @Test
  void shouldNotDependOnWhichCompletionComesFirstOrOnAShiftOfTheScores() {
    double a = RewardUncertainty.of(List.of(0.5, -0.2, 1.1), List.of(0.0, 0.4, 0.3));
    double b = RewardUncertainty.of(List.of(1.1, 0.5, -0.2), List.of(0.3, 0.0, 0.4));
    double shifted = RewardUncertainty.of(List.of(7.5, 6.8, 8.1), List.of(-2.0, -1.6, -1.7));
    assertThat(b).isCloseTo(a, within(1e-12));
    assertThat(shifted).isCloseTo(a, within(1e-12));
  }
}
