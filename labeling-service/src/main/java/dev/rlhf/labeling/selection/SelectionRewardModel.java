package dev.rlhf.labeling.selection;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.labeling.registry.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The reward model that scores a project's completions for active selection: the newest REWARD
 * version trained in a cycle of this project whose held-out accuracy passes the reward gate ({@code
 * rlhf.gates.min-reward-accuracy}, the bar PPO uses).
 *
 * <p>Reward models are not promoted (only policies are served), so "current" is the newest one
 * trained on the project's own labels, the same rule that picks the judge of a project's SFT and
 * DPO evaluations. A reward model below the gate is not used: its uncertainty is mostly noise, and
 * ordering the queue by noise is random selection with extra steps, while the completions'
 * diversity still says something. A project whose only reward models came from cycles over every
 * project (no project named) has none here.
 */
@ApplicationScoped
public class SelectionRewardModel {

  private final SelectionSettings settings;

  SelectionRewardModel(SelectionSettings settings) {
    this.settings = settings;
  }

  /** The reward version to score the project's completions with, or null for none. */
  public String forProject(UUID projectId) {
    return ModelVersion.<ModelVersion>find(
            "kind = ?1 and cycleId in (select c.id from TrainingCycle c where c.projectId = ?2)"
                + " order by publishedAt desc, version",
            ModelVersionPublished.Kind.REWARD,
            projectId)
        .stream()
        .filter(this::accurateEnough)
        .findFirst()
        .map(v -> v.version)
        .orElse(null);
  }

  private boolean accurateEnough(ModelVersion version) {
    Double accuracy =
        version.metrics == null ? null : version.metrics.get(TrainingMetrics.HELDOUT_ACCURACY);
    return accuracy != null && accuracy >= settings.minRewardAccuracy();
  }
}
