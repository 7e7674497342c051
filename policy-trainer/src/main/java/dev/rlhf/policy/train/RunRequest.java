package dev.rlhf.policy.train;

import dev.rlhf.events.contract.TrainingRunRequested;
import dev.rlhf.events.contract.TrainingStage;
import dev.rlhf.events.contract.WeightedPair;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.config.PolicyTrainingConfig;
import dev.rlhf.policy.data.Conversations;
import java.util.List;
import java.util.UUID;

/**
 * One policy training run as this trainer understands it (from a command event or the command
 * line).
 *
 * @param baseVersion SFT: the base to fine-tune; PPO and DPO: the SFT version (policy start and
 *     reference)
 * @param rewardVersion PPO only: the reward model version
 * @param labelEventIds the snapshot: demonstrations (SFT), labels whose prompts PPO samples, or the
 *     rankings DPO learns from
 * @param evaluationPrompts the project's held-out prompts to evaluate the version on (empty: the
 *     snapshot's own held-out prompts)
 * @param evaluationRewardVersion whose check model judges the evaluation of an SFT or DPO version
 *     (PPO uses its own reward model's); null: none
 * @param weightedPairs DPO only: the pairs to train on with their loss weights (the consensus of
 *     the snapshot's rankings); empty: every pair of every ranking, each of weight 1
 */
public record RunRequest(
    UUID runId,
    UUID cycleId,
    TrainingStage stage,
    String baseVersion,
    String rewardVersion,
    List<UUID> labelEventIds,
    PolicyTrainingConfig config,
    List<List<Turn>> evaluationPrompts,
    String evaluationRewardVersion,
    List<WeightedPair> weightedPairs) {

  /** A run whose pairs (for DPO) are every pair of the snapshot's rankings, each of weight 1. */
  public RunRequest(
      UUID runId,
      UUID cycleId,
      TrainingStage stage,
      String baseVersion,
      String rewardVersion,
      List<UUID> labelEventIds,
      PolicyTrainingConfig config,
      List<List<Turn>> evaluationPrompts,
      String evaluationRewardVersion) {
    this(
        runId,
        cycleId,
        stage,
        baseVersion,
        rewardVersion,
        labelEventIds,
        config,
        evaluationPrompts,
        evaluationRewardVersion,
        List.of());
  }

  public RunRequest {
    weightedPairs = weightedPairs == null ? List.of() : List.copyOf(weightedPairs);
    if (stage == TrainingStage.REWARD) {
      throw new IllegalArgumentException("policy-trainer runs SFT, PPO and DPO, not " + stage);
    }
    labelEventIds = List.copyOf(labelEventIds);
    evaluationPrompts = evaluationPrompts == null ? List.of() : List.copyOf(evaluationPrompts);
  }

  public static RunRequest of(TrainingRunRequested command) {
    return new RunRequest(
        command.runId(),
        command.cycleId(),
        command.stage(),
        command.baseVersion(),
        command.rewardVersion(),
        command.labelEventIds(),
        PolicyTrainingConfig.forStage(command.stage(), command.hyperParameters()),
        command.evaluationPrompts().stream().map(Conversations::turns).toList(),
        command.evaluationRewardVersion(),
        command.weightedPairs());
  }

  /**
   * The name of the version this run publishes: the whole run id, since a shorter prefix of it
   * could collide with another run's and overwrite its checkpoint.
   */
  public String version() {
    return "policy-" + stage.name().toLowerCase() + "-" + runId;
  }
}
