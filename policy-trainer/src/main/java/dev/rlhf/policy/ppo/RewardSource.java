package dev.rlhf.policy.ppo;

import ai.djl.Device;
import dev.rlhf.policy.train.CheckpointDirectory;

/** Where a PPO run gets its reward: the reward model version it names, unless a test says else. */
@FunctionalInterface
public interface RewardSource {

  RewardFunction open(String rewardVersion, Device device);

  /** The reward model checkpoint of the named version. */
  static RewardSource rewardModels(CheckpointDirectory checkpoints) {
    return (version, device) -> {
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("a PPO run needs a reward version");
      }
      return RewardModelFunction.load(checkpoints.resolve(version), device);
    };
  }
}
