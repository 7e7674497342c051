package dev.rlhf.policy.train;

import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import java.util.List;
import java.util.UUID;

/**
 * One policy training run as this trainer understands it (from a command event or the command
 * line).
 *
 * @param baseVersion SFT: the base to fine-tune; PPO: the SFT version (policy start and reference)
 * @param rewardVersion PPO only: the reward model version
 * @param labelEventIds the snapshot: demonstrations (SFT), or labels whose prompts PPO samples
 */
public record RunRequest(
    UUID runId,
    UUID cycleId,
    TrainingStage stage,
    String baseVersion,
    String rewardVersion,
    List<UUID> labelEventIds,
    PolicyTrainingConfig config) {

  public RunRequest {
    if (stage != TrainingStage.SFT && stage != TrainingStage.PPO) {
      throw new IllegalArgumentException("policy-trainer runs SFT and PPO, not " + stage);
    }
    labelEventIds = List.copyOf(labelEventIds);
  }

  public static RunRequest of(TrainingRunRequested command) {
    return new RunRequest(
        command.runId(),
        command.cycleId(),
        command.stage(),
        command.baseVersion(),
        command.rewardVersion(),
        command.labelEventIds(),
        PolicyTrainingConfig.defaults().withOverrides(command.hyperParameters()));
  }

  /** The name of the version this run publishes. */
  public String version() {
    return "policy-" + stage.name().toLowerCase() + "-" + runId.toString().substring(0, 8);
  }
}
