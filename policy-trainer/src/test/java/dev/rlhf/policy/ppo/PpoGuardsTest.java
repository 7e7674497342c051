package dev.rlhf.policy.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.config.PpoConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each guard on the default thresholds, against a window of steps that should and should not trip
 * it.
 */
class PpoGuardsTest {

  private static final PpoConfig DEFAULTS = PpoConfig.defaults();
  private static final PpoGuards.Baseline START = new PpoGuards.Baseline(20, 1.0, -0.5, 0.2, 0.4);

  @Test
  void shouldLetAHealthyRunGoOnAndJudgeItByTheCheckModel() {
    PpoGuards guards = new PpoGuards(DEFAULTS, START);
    Optional<PpoGuards.Trip> trip = Optional.empty();
    for (int step = 1; step <= 20; step++) {
      trip = guards.observe(step, new PpoGuards.Observation(18, 3, 0.8, 0.1, 0.3));
      assertThat(trip).isEmpty();
    }
    assertThat(guards.quality()).isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(guards.startQuality()).isEqualTo(0.2);
  }

  @Test
  void shouldTripWhenResponsesCollapse() {
    assertThat(tripOf(new PpoGuards.Observation(4.9, 3, 0.8, 0.5, 0.3)))
        .hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("length"))
        .hasValueSatisfying(t -> assertThat(t.reason()).contains("4.9 tokens").contains("20.0"));
  }

  @Test
  void shouldTripWhenKlStaysAboveTheTargetForTheWholeWindowButNotForOneStep() {
    double high = DEFAULTS.maxKlRatio() * DEFAULTS.targetKl() + 1;
    assertThat(tripOf(new PpoGuards.Observation(18, high, 0.8, 0.5, 0.3)))
        .hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("kl"));

    PpoGuards guards = new PpoGuards(DEFAULTS, START);
    for (int step = 1; step <= 10; step++) {
      double kl = step == 5 ? high : 2;
      assertThat(guards.observe(step, new PpoGuards.Observation(18, kl, 0.8, 0.5, 0.3))).isEmpty();
    }
  }

  @Test
  void shouldTripAtOnceOverTheHardKlLimit() {
    PpoGuards guards = new PpoGuards(DEFAULTS, START);
    assertThat(
            guards.observe(
                1, new PpoGuards.Observation(18, DEFAULTS.klHardLimit() + 1, 0.8, 0.5, 0.3)))
        .hasValueSatisfying(t -> assertThat(t.reason()).contains("hard limit"));
  }

  @Test
  void shouldTripWhenEntropyCollapses() {
    assertThat(tripOf(new PpoGuards.Observation(18, 3, 0.05, 0.5, 0.3)))
        .hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("entropy"));
  }

  @Test
  void shouldTripWhenTheProxyRisesWhileTheIndependentCheckFalls() {
    // The check fell 0.4 below its start of 0.2: a full standard deviation of its first batch.
    assertThat(tripOf(new PpoGuards.Observation(18, 3, 0.8, 1.5, -0.2)))
        .hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("overoptimization"));
    // Both falling is a bad run, not reward hacking: no trip on that guard.
    assertThat(tripOf(new PpoGuards.Observation(18, 3, 0.8, -0.9, -0.2))).isEmpty();
  }

  @Test
  void shouldReadItsThresholdsFromTheStagesHyperParameters() {
    PpoConfig strict =
        PolicyTrainingConfig.defaults()
            .withOverrides(Map.of("minLengthRatio", "0.95", "guardWindow", "2"))
            .ppo();
    assertThat(HyperParameterDefaults.of(TrainingStage.PPO)).containsKey("minLengthRatio");
    PpoGuards guards = new PpoGuards(strict, START);
    assertThat(guards.observe(1, new PpoGuards.Observation(18, 3, 0.8, 0.5, 0.3))).isEmpty();
    assertThat(guards.observe(2, new PpoGuards.Observation(18, 3, 0.8, 0.5, 0.3)))
        .hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("length"));
  }

  @Test
  void guardsGoingOnFromTheSavedWindowTripAndJudgeWhereTheGuardsOfARunNeverStoppedDo() {
    PpoGuards.Observation healthy = new PpoGuards.Observation(18, 3, 0.8, 0.1, 0.3);
    PpoGuards.Observation collapsed = new PpoGuards.Observation(1, 3, 0.8, 0.1, 0.3);
    PpoGuards neverStopped = new PpoGuards(DEFAULTS, START);
    for (int step = 1; step <= 2; step++) {
      assertThat(neverStopped.observe(step, healthy)).isEmpty();
    }
    // The run is killed after step 2 and resumed from its saved state; responses then collapse.
    PpoGuards resumed = new PpoGuards(DEFAULTS, START, neverStopped.recent());
    PpoGuards forgetful = new PpoGuards(DEFAULTS, START);

    for (int step = 3; step < DEFAULTS.guardWindow(); step++) {
      assertThat(neverStopped.observe(step, collapsed)).isEmpty();
      assertThat(resumed.observe(step, collapsed)).isEmpty();
      forgetful.observe(step, collapsed);
    }
    int last = DEFAULTS.guardWindow();
    Optional<PpoGuards.Trip> trip = neverStopped.observe(last, collapsed);
    assertThat(trip).hasValueSatisfying(t -> assertThat(t.guard()).isEqualTo("length"));
    assertThat(resumed.observe(last, collapsed)).isEqualTo(trip);
    assertThat(resumed.quality()).isEqualTo(neverStopped.quality());
    assertThat(resumed.recent()).isEqualTo(neverStopped.recent());
    // Guards that start empty on resume see too few steps to judge, and let the collapse pass.
    assertThat(forgetful.observe(last, collapsed)).isEmpty();
    assertThat(forgetful.quality()).isNaN();
  }

  /** What a full window of the same observation trips, if anything. */
  private static Optional<PpoGuards.Trip> tripOf(PpoGuards.Observation o) {
    PpoGuards guards = new PpoGuards(DEFAULTS, START);
    Optional<PpoGuards.Trip> trip = Optional.empty();
    for (int step = 1; step <= DEFAULTS.guardWindow() && trip.isEmpty(); step++) {
      trip = guards.observe(step, o);
    }
    return trip;
  }
}
