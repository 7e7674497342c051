package dev.rlhf.policy.ppo;

import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.policy.train.TrainingCancelledException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PPO loop of InstructGPT: each iteration samples completions of a batch of prompts, scores
 * them, turns score and KL penalty into per-token rewards, estimates advantages with GAE, and takes
 * several epochs of clipped-surrogate steps. A hard KL limit stops a run that drifts like reward
 * hacking; the running policy is checkpointed with its optimizer state, so a killed run resumes and
 * goes on exactly as if it had not stopped.
 */
public final class PpoTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(PpoTrainer.class);

  /**
   * @param initialReward mean score of the first iteration
   * @param finalReward mean score of the last iterations (up to 3)
   * @param finalKl mean KL of the last iteration
   */
  public record Result(double initialReward, double finalReward, double finalKl, int steps) {

    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("initial_reward", initialReward);
      m.put(TrainingMetrics.REWARD_MEAN, finalReward);
      m.put(TrainingMetrics.KL, finalKl);
      return m;
    }
  }

  private final PpoConfig config;
  private final RewardFunction reward;
  private final PromptPool prompts;
  private final ProgressListener listener;

  public PpoTrainer(
      PpoConfig config, RewardFunction reward, PromptPool prompts, ProgressListener listener) {
    this.config = config;
    this.reward = reward;
    this.prompts = prompts;
    this.listener = listener;
  }

  /**
   * Trains {@code policy} (which gets a value head if it has none) against the frozen {@code
   * reference}, from {@code state} (saved in {@code checkpoint} unless it is the start).
   */
  public Result train(
      LanguageModel policy,
      LanguageModel reference,
      PpoState state,
      RunCheckpoint<PpoState> checkpoint) {
    policy.addValueHead();
    AdaptiveKlController kl =
        new AdaptiveKlController(state.klCoef(), config.targetKl(), config.klHorizon());
    RunningMoments moments =
        new RunningMoments(state.scoreCount(), state.scoreMean(), state.scoreM2());
    RolloutCollector collector = new RolloutCollector(policy, reference, reward, config);
    double initialReward = state.initialReward();
    List<Double> recentRewards = new ArrayList<>();
    double lastKl = 0;
    if (state.step() > 0) {
      LOG.info("resuming PPO run at step {}", state.step());
    }
    try (AdamW adam = AdamW.gptDefaults(policy.namedParameters(), 0f)) {
      if (state.step() > 0) {
        checkpoint.restoreOptimizer(adam, state);
      }
      PpoUpdate update = new PpoUpdate(policy, adam, config);
      for (int step = state.step(); step < config.steps(); step++) {
        if (listener.cancelled()) {
          throw new TrainingCancelledException(
              "cancelled after PPO step " + step + " of " + config.steps());
        }
        Random random = new Random(config.seed() * 1_000_003L + step);
        List<Rollout> rollouts =
            collector.collect(prompts.draw(config.rolloutBatch(), random), config.seed() + step);
        RolloutMetrics batch = RolloutMetrics.of(rollouts);
        lastKl = batch.kl();
        if (batch.kl() > config.klHardLimit()) {
          throw new KlLimitExceededException(step + 1, batch.kl(), config.klHardLimit());
        }
        if (Double.isNaN(initialReward)) {
          initialReward = batch.reward();
        }
        double[] scores = scores(rollouts, moments);
        RolloutBuffer buffer =
            new RolloutBuffer(rollouts, scores, kl.coef(), config.gamma(), config.lambda());
        long trainStart = System.nanoTime();
        PpoUpdate.Stats stats = update.run(buffer, random);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        double coefUsed = kl.coef();
        kl.update(batch.kl(), rollouts.size());
        recentRewards.add(batch.reward());
        if (recentRewards.size() > 3) {
          recentRewards.remove(0);
        }
        Map<String, Double> metrics = batch.metrics();
        metrics.put("kl_coef", coefUsed);
        metrics.put("policy_loss", stats.policyLoss());
        metrics.put("value_loss", stats.valueLoss());
        metrics.put("clip_fraction", stats.clipFraction());
        metrics.put("approx_kl", stats.approxKl());
        metrics.put("time_generation_s", collector.lastTiming().generationSeconds());
        metrics.put("time_scoring_s", collector.lastTiming().scoringSeconds());
        metrics.put("time_training_s", trainSeconds);
        metrics.put("train_tokens_per_s", stats.tokens() / trainSeconds);
        PpoState next =
            new PpoState(
                step + 1, kl.coef(), moments.count(), moments.mean(), moments.m2(), initialReward);
        if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) {
          checkpoint.save(policy, adam, next);
        }
        listener.onProgress(
            step + 1, config.steps(), metrics, batch.samples(config.samplesPerStep()));
      }
    }
    double finalReward =
        recentRewards.stream().mapToDouble(Double::doubleValue).average().orElse(initialReward);
    return new Result(initialReward, finalReward, lastKl, config.steps());
  }

  /** The scores as they enter the reward: whitened by running moments when configured. */
  private double[] scores(List<Rollout> rollouts, RunningMoments moments) {
    double[] raw = rollouts.stream().mapToDouble(Rollout::score).toArray();
    if (!config.whitenRewards()) {
      return raw;
    }
    moments.update(raw);
    double[] out = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = moments.whiten(raw[i]);
    }
    return out;
  }
}
