package dev.rlhf.policy.config;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;

/**
 * PPO hyper-parameters (InstructGPT / TRL defaults scaled to small networks); the defaults are the
 * PPO stage's {@link HyperParameterDefaults}, which labeling-service shows.
 *
 * @param steps PPO iterations (one batch of rollouts each)
 * @param rolloutBatch prompts sampled and completed per iteration
 * @param miniBatch rollouts per gradient step
 * @param ppoEpochs passes over each batch of rollouts
 * @param maxNewTokens most tokens per completion
 * @param temperature sampling temperature of the rollouts (1 keeps the sampled log-probs those of
 *     the policy itself)
 * @param lr learning rate of policy and value head (constant: PPO's data changes every step)
 * @param gradClip bound on the global gradient norm
 * @param clipRange epsilon of the clipped surrogate
 * @param clipRangeValue how far a new value may move from the old one before its loss is clipped
 * @param valueCoef weight of the value loss against the policy loss
 * @param ptxCoef weight of the language-modelling loss on the snapshot's demonstrations added to
 *     every minibatch step (InstructGPT's PPO-ptx, with the demonstrations SFT trained on as its
 *     data): it holds on to what SFT learned where the reward model cannot see; 0 is plain PPO
 * @param gamma discount
 * @param lambda GAE's bias/variance trade-off
 * @param initKlCoef starting beta of the per-token KL penalty
 * @param targetKl KL (summed over a completion, in nats) the adaptive controller steers towards
 * @param klHorizon how quickly the controller adapts (Ziegler et al.: 10,000)
 * @param klHardLimit mean KL of one step past which a guard trips at once
 * @param guardWindow steps the reward-hacking guards average over
 * @param minLengthRatio responses shorter than this share of the start's trip a guard
 * @param maxKlRatio a window of steps all above this multiple of {@code targetKl} trips a guard
 * @param minEntropyRatio policy entropy below this share of the start's trips a guard
 * @param maxCheckDrop a check-model score fallen this many of its start's standard deviations,
 *     while the proxy reward rose, trips a guard
 * @param whitenRewards whether scores are normalised by running mean and standard deviation
 * @param checkpointEvery iterations between checkpoints of the running policy (for resume)
 * @param samplesPerStep sample completions attached to each progress event
 * @param demoWorldPrompts draw prompts from the demo world instead of the snapshot's labels
 * @param seed seeds prompt order and sampling
 */
public record PpoConfig(
    int steps,
    int rolloutBatch,
    int miniBatch,
    int ppoEpochs,
    int maxNewTokens,
    float temperature,
    float lr,
    float gradClip,
    float clipRange,
    float clipRangeValue,
    float valueCoef,
    float ptxCoef,
    float gamma,
    float lambda,
    float initKlCoef,
    float targetKl,
    float klHorizon,
    float klHardLimit,
    int guardWindow,
    float minLengthRatio,
    float maxKlRatio,
    float minEntropyRatio,
    float maxCheckDrop,
    boolean whitenRewards,
    int checkpointEvery,
    int samplesPerStep,
    boolean demoWorldPrompts,
    long seed) {

  public PpoConfig {
    if (steps <= 0 || rolloutBatch <= 0 || miniBatch <= 0 || ppoEpochs <= 0) {
      throw new IllegalArgumentException("bad PPO configuration: " + this);
    }
    if (ptxCoef < 0) {
      throw new IllegalArgumentException("ptxCoef must be at least 0: " + this);
    }
    if (maxNewTokens <= 0 || checkpointEvery <= 0 || klHardLimit <= 0 || guardWindow <= 0) {
      throw new IllegalArgumentException("bad PPO configuration: " + this);
    }
  }

  public static PpoConfig defaults() {
    return PolicyTrainingConfig.parse(
        PpoConfig.class, HyperParameterDefaults.of(TrainingStage.PPO));
  }
}
