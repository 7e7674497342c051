package dev.rlhf.lm.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

  private static final float[] PROBABILITIES = {0.5f, 0.3f, 0.2f};
  private static final int DRAWS = 20_000;

  @Test
  void shouldDrawFromTheWholeDistributionWhenNothingIsCutOff() {
    // Shares of 20,000 draws: a standard error of at most 0.0035, so 0.02 is over 5 of them.
    double[] share = shares(new SamplingParams(1f, 0, 1f, 1, List.of(), 5L));
    assertThat(share[0]).isCloseTo(0.5, within(0.02));
    assertThat(share[1]).isCloseTo(0.3, within(0.02));
    assertThat(share[2]).isCloseTo(0.2, within(0.02));
  }

  @Test
  void shouldKeepTheSmallestSetReachingTopPAndRenormalise() {
    double[] share = shares(new SamplingParams(1f, 0, 0.6f, 1, List.of(), 6L));
    assertThat(share[2]).isZero();
    assertThat(share[0]).isCloseTo(0.5 / 0.8, within(0.02));
    assertThat(share[1]).isCloseTo(0.3 / 0.8, within(0.02));
  }

  @Test
  void shouldKeepOnlyTheTopKTokens() {
    assertThat(shares(new SamplingParams(1f, 1, 1f, 1, List.of(), 7L))[0])
        .isCloseTo(1, within(1e-9));
    double[] two = shares(new SamplingParams(1f, 2, 1f, 1, List.of(), 7L));
    assertThat(two[2]).isZero();
    assertThat(two[0]).isCloseTo(0.5 / 0.8, within(0.02));
  }

  @Test
  void shouldCutAtTopPOverALargeVocabularyAsAFullSortWould() {
    // 1,000 ids with geometrically falling probabilities: the first seven hold 0.6 of the mass.
    float[] probabilities = new float[1000];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = (float) Math.exp(-0.15 * i); // the sampler normalises the row
    }
    TokenSampler sampler = new TokenSampler(new SamplingParams(1f, 0, 0.6f, 1, List.of(), 9L));
    int highest = 0;
    for (int i = 0; i < DRAWS; i++) {
      highest = Math.max(highest, sampler.choose(probabilities, 0, probabilities.length).token());
    }
    double q = Math.exp(-0.15);
    int needed = (int) Math.ceil(Math.log(1 - 0.6) / Math.log(q)); // smallest n with 1 - q^n >= p
    assertThat(needed).isEqualTo(7);
    assertThat(highest).isEqualTo(needed - 1);
  }

  @Test
  void shouldReportTheChosenTokensLogProbability() {
    TokenSampler sampler = new TokenSampler(new SamplingParams(1f, 0, 1f, 1, List.of(), 8L));
    for (int i = 0; i < 50; i++) {
      TokenSampler.Choice c = sampler.choose(PROBABILITIES, 0, PROBABILITIES.length);
      assertThat(c.logProb()).isCloseTo((float) Math.log(PROBABILITIES[c.token()]), within(1e-6f));
    }
  }

  @Test
  void shouldOrderTokensFromMostToLeastLikelyWithTiesById() {
    double[] prob = {0.05, 0.3, 0.001, 0.3, 0, 0.349, 1e-30};
    assertThat(TokenSampler.byDescendingProbability(prob, 0)).containsExactly(5, 1, 3, 0, 2, 6, 4);
    assertThat(TokenSampler.byDescendingProbability(prob, 0.05)).containsExactly(5, 1, 3, 0);
  }

  private static double[] shares(SamplingParams params) {
    TokenSampler sampler = new TokenSampler(params);
    double[] share = new double[PROBABILITIES.length];
    for (int i = 0; i < DRAWS; i++) {
      share[sampler.choose(PROBABILITIES, 0, PROBABILITIES.length).token()] += 1.0 / DRAWS;
    }
    return share;
  }
}
