package dev.rlhf.labeling.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionDiversityTest {

  @Test
  void shouldScoreCopiesZeroAndTextsWithoutASharedWordOne() {
    assertThat(CompletionDiversity.of(List.of("The sum is 4.", "the SUM is 4"))).isZero();
    assertThat(CompletionDiversity.of(List.of("Seven.", "Blue whales swim."))).isEqualTo(1.0);
    assertThat(CompletionDiversity.of(List.of("only one"))).isZero();
  }

  @Test
  void shouldAverageTheWordSetDistanceOverEveryPair() {
    // {a b} vs {a c}: 1 - 1/3; {a b} vs {a b}: 0; {a c} vs {a b}: 1 - 1/3.
    assertThat(CompletionDiversity.of(List.of("a b", "a c", "a b")))
        .isCloseTo((2.0 / 3 + 0 + 2.0 / 3) / 3, within(1e-12));
  }
}
