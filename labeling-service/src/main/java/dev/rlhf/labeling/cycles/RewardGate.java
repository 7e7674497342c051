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
  }

  private final Settings settings;

  RewardGate(Settings settings) {
    this.settings = settings;
  }

  public double minAccuracy() {
    return settings.minRewardAccuracy();
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
