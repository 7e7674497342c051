package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.TrainingMetrics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * PPO optimises whatever the reward model rewards; a reward model near chance turns that into
 * reward hacking (a policy that collapses while its reward rises). So PPO may use a reward model
 * only when its held-out accuracy reaches the gate, unless the researcher overrides the gate with a
 * reason, which the cycle and the version trained keep.
 */
@ApplicationScoped
public class RewardGate {

  /** The gate's setting. */
  @ConfigMapping(prefix = "rlhf.gates")
  public interface Settings {

    /** Held-out pairwise accuracy (0..1) a reward model needs before PPO may use it. */
    @WithDefault("0.7")
    double minRewardAccuracy();

    /**
     * Informative preference pairs below which a reward cycle starts with a warning: with fewer
     * than 500, the 20% held out for its accuracy are under 100 pairs, and the 95% interval of an
     * accuracy near 0.5 is wider than +-0.1.
     */
    @WithDefault("500")
    long minInformativePairs();
  }

  private final Settings settings;

  RewardGate(Settings settings) {
    this.settings = settings;
  }

  public double minAccuracy() {
    return settings.minRewardAccuracy();
  }

  /** The warning for a reward stage trained on this many informative pairs, or null. */
  public String fewPairsWarning(long informativePairs) {
    if (informativePairs >= settings.minInformativePairs()) return null;
    return String.format(
        "the snapshot's rankings give %d informative preference pairs, fewer than the %d a"
            + " reward model's held-out accuracy can be measured on (rlhf.gates.min-informative-pairs);"
            + " rankings where every completion ties or reads the same give none",
        informativePairs, settings.minInformativePairs());
  }

  /**
   * Why a reward model's check model cannot vouch for an evaluation it judged, or null when it can:
   * a judge below the gate is as weak as a reward model PPO may not use (its check model's held-out
   * accuracy counts; the reward model's own where it has no check model).
   */
  public String untrustedJudge(String rewardVersion, Map<String, Double> metrics) {
    Double accuracy = metrics == null ? null : metrics.get(TrainingMetrics.CHECK_HELDOUT_ACCURACY);
    if (accuracy == null && metrics != null) {
      accuracy = metrics.get(TrainingMetrics.HELDOUT_ACCURACY);
    }
    if (accuracy != null && accuracy >= settings.minRewardAccuracy()) return null;
    return String.format(
        "the judge, %s's check model, %s, below the gate of %.2f: this evaluation cannot vouch"
            + " for the version",
        rewardVersion,
        accuracy == null
            ? "has no held-out accuracy"
            : String.format("has a held-out accuracy of %.3f", accuracy),
        settings.minRewardAccuracy());
  }

  /** Why a reward model with these metrics may not be used by PPO, or null when it may. */
  public String refusal(String rewardVersion, Map<String, Double> metrics) {
    Double accuracy = metrics == null ? null : metrics.get(TrainingMetrics.HELDOUT_ACCURACY);
    if (accuracy != null && accuracy >= settings.minRewardAccuracy()) return null;
    return String.format(
        "the reward model %s %s, below the gate of %.2f",
        rewardVersion,
        accuracy == null
            ? "has no held-out accuracy"
            : String.format("reached a held-out accuracy of %.3f", accuracy),
        settings.minRewardAccuracy());
  }
}
