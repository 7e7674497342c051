package dev.rlhf.policy.ppo;

import ai.djl.Device;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.policy.train.TrainingCancelledException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PPO loop of InstructGPT: each iteration samples completions of a batch of prompts, scores
 * them, turns score and KL penalty into per-token rewards, estimates advantages with GAE, and takes
 * several epochs of clipped-surrogate steps. {@link PpoGuards} watch for reward hacking; when one
 * trips, the run stops and rolls back to its best weights (by the independent check model where
 * there is one), and says so. The running policy is checkpointed with its optimizer state, so a
 * killed run resumes and goes on exactly as if it had not stopped.
 */
public final class PpoTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(PpoTrainer.class);

  /**
   * @param initialReward mean score of the first iteration
   * @param finalReward mean score of the last iterations (up to 3)
   * @param finalKl mean KL of the last iteration
   * @param steps iterations run
   * @param publishedStep the step whose weights the policy now holds (the last, or the best after a
   *     rollback)
   * @param trip the guard that stopped the run, or null
   */
  public record Result(
      double initialReward,
      double finalReward,
      double finalKl,
      int steps,
      int publishedStep,
      PpoGuards.Trip trip) {

    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("initial_reward", initialReward);
      m.put(TrainingMetrics.REWARD_MEAN, finalReward);
      m.put(TrainingMetrics.KL, finalKl);
      m.put("stopped_early", trip == null ? 0.0 : 1.0);
      m.put("published_step", (double) publishedStep);
      return m;
    }

    /** What the researcher must be told about the version: a guard that tripped. */
    public List<String> warnings() {
      if (trip == null) return List.of();
      return List.of(
          String.format(
              "PPO stopped at step %d: %s (guard: %s); the policy of step %d, the best before"
                  + " it, was published",
              steps, trip.reason(), trip.guard(), publishedStep));
    }
  }

  private final PpoConfig config;
  private final RewardFunction reward;
  private final RewardFunction check;
  private final PromptPool prompts;
  private final ProgressListener listener;
  private final List<SftExample> demonstrations;
  private final List<Device> devices;

  /**
   * @param check the reward model's independent check model, or null
   */
  public PpoTrainer(
      PpoConfig config,
      RewardFunction reward,
      RewardFunction check,
      PromptPool prompts,
      ProgressListener listener) {
    this(config, reward, check, prompts, listener, List.of());
  }

  /**
   * @param demonstrations what the ptx term trains on when {@code ptxCoef} is above 0 (SFT's
   *     training examples)
   */
  public PpoTrainer(
      PpoConfig config,
      RewardFunction reward,
      RewardFunction check,
      PromptPool prompts,
      ProgressListener listener,
      List<SftExample> demonstrations) {
    this(config, reward, check, prompts, listener, demonstrations, List.of());
  }

  /**
   * @param devices the devices the updates train on, data-parallel (the first is the policy's;
   *     rollouts are sampled on it); empty: the policy's alone
   */
  public PpoTrainer(
      PpoConfig config,
      RewardFunction reward,
      RewardFunction check,
      PromptPool prompts,
      ProgressListener listener,
      List<SftExample> demonstrations,
      List<Device> devices) {
    this.config = config;
    this.reward = reward;
    this.check = check;
    this.prompts = prompts;
    this.listener = listener;
    this.demonstrations = List.copyOf(demonstrations);
    this.devices = List.copyOf(devices);
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
    PpoGuards.Baseline start = state.start();
    PpoGuards guards = start == null ? null : new PpoGuards(config, start, state.guardWindow());
    int bestStep = state.bestStep();
    double bestQuality = state.bestQuality();
    List<Double> recentRewards = new ArrayList<>(state.recentRewards());
    double lastKl = 0;
    if (state.step() > 0) {
      LOG.info("resuming PPO run at step {}", state.step());
    }
    try (DataParallel parallel = DataParallel.over(policy, devices);
        AdamW adam = AdamW.gptDefaults(policy.namedParameters(), 0f)) {
      if (state.step() > 0) {
        checkpoint.restoreOptimizer(adam, state);
      }
      PpoUpdate update = new PpoUpdate(parallel, adam, config, demonstrations);
      for (int step = state.step(); step < config.steps(); step++) {
        if (listener.cancelled()) {
          throw new TrainingCancelledException(
              "cancelled after PPO step " + step + " of " + config.steps());
        }
        Random random = new Random(config.seed() * 1_000_003L + step);
        List<List<Turn>> batchPrompts = prompts.draw(config.rolloutBatch(), random);
        List<Rollout> rollouts = collector.collect(batchPrompts, config.seed() + step);
        RolloutMetrics batch = RolloutMetrics.of(rollouts);
        double[] checkScores =
            check == null
                ? null
                : check.score(batchPrompts, rollouts.stream().map(Rollout::text).toList());
        PpoGuards.Observation seen =
            new PpoGuards.Observation(
                batch.responseLength(),
                batch.kl(),
                batch.entropy(),
                batch.reward(),
                checkScores == null ? Double.NaN : mean(checkScores));
        lastKl = batch.kl();
        if (guards == null) {
          // The first batch is the SFT policy's own: what the guards compare with, and the
          // weights to roll back to until a better step is seen.
          start =
              new PpoGuards.Baseline(
                  seen.length(),
                  seen.entropy(),
                  seen.proxy(),
                  seen.check(),
                  checkScores == null ? 0 : spread(checkScores));
          guards = new PpoGuards(config, start);
          checkpoint.saveBest(policy, step);
          bestStep = step;
          bestQuality = guards.startQuality();
        }
        if (Double.isNaN(initialReward)) {
          initialReward = batch.reward();
        }
        Optional<PpoGuards.Trip> trip = guards.observe(step + 1, seen);
        if (trip.isPresent()) {
          LOG.warn(
              "PPO guard {} tripped at step {}: {}",
              trip.get().guard(),
              step + 1,
              trip.get().reason());
          int restored = checkpoint.restoreBest(policy);
          listener.onProgress(
              step + 1,
              config.steps(),
              stepMetrics(batch, seen, kl.coef(), null, 0),
              batch.samples(config.samplesPerStep()));
          return new Result(initialReward, batch.reward(), lastKl, step + 1, restored, trip.get());
        }
        double quality = guards.quality();
        if (!Double.isNaN(quality) && quality > bestQuality) {
          checkpoint.saveBest(policy, step);
          bestStep = step;
          bestQuality = quality;
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
        Map<String, Double> metrics = stepMetrics(batch, seen, coefUsed, stats, trainSeconds);
        metrics.put("time_generation_s", collector.lastTiming().generationSeconds());
        metrics.put("time_scoring_s", collector.lastTiming().scoringSeconds());
        PpoState next =
            new PpoState(
                step + 1,
                kl.coef(),
                moments.count(),
                moments.mean(),
                moments.m2(),
                initialReward,
                start,
                bestStep,
                bestQuality,
                guards.recent(),
                recentRewards);
        if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) {
          checkpoint.save(policy, adam, next);
        }
        listener.onProgress(
            step + 1, config.steps(), metrics, batch.samples(config.samplesPerStep()));
      }
    }
    double finalReward =
        recentRewards.stream().mapToDouble(Double::doubleValue).average().orElse(initialReward);
    return new Result(initialReward, finalReward, lastKl, config.steps(), config.steps(), null);
  }

  private static Map<String, Double> stepMetrics(
      RolloutMetrics batch,
      PpoGuards.Observation seen,
      double klCoef,
      PpoUpdate.Stats stats,
      double trainSeconds) {
    Map<String, Double> metrics = batch.metrics();
    metrics.put("kl_coef", klCoef);
    if (!Double.isNaN(seen.check())) metrics.put(TrainingMetrics.CHECK_REWARD_MEAN, seen.check());
    if (stats != null) {
      metrics.put("policy_loss", stats.policyLoss());
      metrics.put("value_loss", stats.valueLoss());
      metrics.put("clip_fraction", stats.clipFraction());
      metrics.put("approx_kl", stats.approxKl());
      if (!Double.isNaN(stats.ptxLoss())) metrics.put(TrainingMetrics.PTX_LOSS, stats.ptxLoss());
      metrics.put("time_training_s", trainSeconds);
      metrics.put("train_tokens_per_s", stats.tokens() / trainSeconds);
    }
    return metrics;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) sum += v;
    return sum / values.length;
  }

  private static double spread(double[] values) {
    double m = mean(values);
    double sq = 0;
    for (double v : values) sq += (v - m) * (v - m);
    return Math.sqrt(sq / Math.max(1, values.length - 1));
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
