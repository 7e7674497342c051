package dev.rlhf.policy.ppo;

import ai.djl.Device;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.reward.RewardScorer;
import dev.rlhf.policy.train.CheckpointDirectory;
import java.nio.file.Path;

/** Where a PPO run gets its reward: the reward model version it names, unless a test says else. */
@FunctionalInterface
public interface RewardSource {

  RewardFunction open(String rewardVersion, Device device);

  /** The named reward model's independent check model, or null when it has none. */
  default RewardFunction openCheck(String rewardVersion, Device device) {
    return null;
  }

  /** The reward model checkpoint of the named version, and its check model when it has one. */
  static RewardSource rewardModels(CheckpointDirectory checkpoints) {
    return new RewardSource() {
      @Override
      public RewardFunction open(String version, Device device) {
        if (version == null || version.isBlank()) {
          throw new IllegalArgumentException("a PPO run needs a reward version");
        }
        return RewardModelFunction.load(checkpoints.resolve(version), device);
      }

      @Override
      public RewardFunction openCheck(String version, Device device) {
        Path check = checkpoints.resolve(version).resolve(CHECK_MODEL);
        return Checkpoints.exists(check) ? RewardModelFunction.load(check, device) : null;
      }
    };
  }

  /** Directory of a reward model's check model inside its checkpoint (reward-trainer writes it). */
  String CHECK_MODEL = RewardScorer.CHECK_MODEL;
}
