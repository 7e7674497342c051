package dev.rlhf.policy.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.Scalars;
import dev.rlhf.lm.train.Shard;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftTrainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The optimisation half of a PPO iteration: several epochs of minibatch steps on one buffer of
 * rollouts. Policy and value head share the network and one optimizer; each minibatch is one step,
 * split over the training devices ({@link DataParallel}: each device takes some of its rollouts,
 * and some of its demonstrations for the ptx term).
 */
public final class PpoUpdate {

  private static final String POLICY_LOSS = "policy_loss";
  private static final String VALUE_LOSS = "value_loss";
  private static final String CLIP_FRACTION = "clip_fraction";
  private static final String APPROX_KL = "approx_kl";
  private static final String PTX_LOSS = "ptx_loss";

  /**
   * Means over every minibatch step of the iteration.
   *
   * @param ptxLoss the language-modelling loss on demonstrations (NaN without the ptx term)
   */
  public record Stats(
      double policyLoss,
      double valueLoss,
      double clipFraction,
      double approxKl,
      double ptxLoss,
      long tokens) {}

  private final DataParallel parallel;
  private final AdamW adam;
  private final PpoConfig config;
  private final PpoLoss loss;
  private final List<SftExample> demonstrations;

  /**
   * @param parallel the policy and its replicas on the training devices
   * @param adam the optimizer of the policy's weights
   * @param demonstrations what the ptx term trains on (unused while {@code ptxCoef} is 0)
   */
  public PpoUpdate(
      DataParallel parallel, AdamW adam, PpoConfig config, List<SftExample> demonstrations) {
    this.parallel = parallel;
    this.adam = adam;
    this.config = config;
    this.loss = new PpoLoss(config.clipRange(), config.clipRangeValue(), config.valueCoef());
    this.demonstrations = List.copyOf(demonstrations);
  }

  private boolean ptx() {
    return config.ptxCoef() > 0 && !demonstrations.isEmpty();
  }

  public Stats run(RolloutBuffer buffer, Random random) {
    Map<String, Double> sums = new LinkedHashMap<>();
    long tokens = 0;
    int steps = 0;
    for (int epoch = 0; epoch < config.ppoEpochs(); epoch++) {
      for (List<Integer> mb : buffer.minibatches(config.miniBatch(), random)) {
        List<SftExample> demos = new ArrayList<>();
        if (ptx()) {
          for (int i = 0; i < mb.size(); i++) {
            demos.add(demonstrations.get(random.nextInt(demonstrations.size())));
          }
        }
        step(buffer, mb, demos).figures().forEach((name, v) -> sums.merge(name, v, Double::sum));
        for (int i : mb) {
          tokens += buffer.rollouts().get(i).sequence().length;
        }
        steps++;
      }
    }
    int n = steps;
    return new Stats(
        sums.getOrDefault(POLICY_LOSS, 0.0) / n,
        sums.getOrDefault(VALUE_LOSS, 0.0) / n,
        sums.getOrDefault(CLIP_FRACTION, 0.0) / n,
        sums.getOrDefault(APPROX_KL, 0.0) / n,
        sums.getOrDefault(PTX_LOSS, Double.NaN) / n,
        tokens);
  }

  /**
   * One minibatch step; with demonstrations, {@code ptxCoef} times their language-modelling loss
   * joins the PPO loss before the backward pass. Each shard's terms are its share of the
   * minibatch's token means.
   */
  private DataParallel.Step step(
      RolloutBuffer buffer, List<Integer> indices, List<SftExample> demos) {
    long responseTokens = 0;
    for (int i : indices) responseTokens += buffer.rollouts().get(i).length();
    long allTokens = responseTokens;
    return parallel.step(
        adam,
        config.lr(),
        config.gradClip(),
        (replica, m, shard) -> shardPart(replica, m, shard, buffer, indices, allTokens, demos));
  }

  private DataParallel.Part shardPart(
      LanguageModel replica,
      NDManager m,
      Shard shard,
      RolloutBuffer buffer,
      List<Integer> indices,
      long allTokens,
      List<SftExample> demos) {
    List<Integer> mine = shard.of(indices);
    if (mine.isEmpty()) return null;
    List<Rollout> rollouts = new ArrayList<>();
    float[][] oldLogProbs = new float[mine.size()][];
    float[][] oldValues = new float[mine.size()][];
    float[][] advantages = new float[mine.size()][];
    float[][] returns = new float[mine.size()][];
    long tokens = 0;
    for (int k = 0; k < mine.size(); k++) {
      Rollout r = buffer.rollouts().get(mine.get(k));
      rollouts.add(r);
      oldLogProbs[k] = r.logProbs();
      oldValues[k] = r.values();
      advantages[k] = buffer.advantages()[mine.get(k)];
      returns[k] = buffer.returns()[mine.get(k)];
      tokens += r.length();
    }
    PolicyForward now = PolicyForward.run(replica, rollouts, config.temperature(), m, true);
    long t = now.mask().getShape().get(1);
    NDArray oldLp = PolicyForward.atResponses(m, rollouts, oldLogProbs, t);
    NDArray oldV = PolicyForward.atResponses(m, rollouts, oldValues, t);
    NDArray adv = PolicyForward.atResponses(m, rollouts, advantages, t);
    NDArray ret = PolicyForward.atResponses(m, rollouts, returns, t);
    PpoLoss.Terms terms =
        loss.compute(now.logProbs(), oldLp, now.values(), oldV, adv, ret, now.mask());
    Map<String, NDArray> figures = new LinkedHashMap<>();
    figures.put(POLICY_LOSS, shard.scaled(terms.policyLoss(), tokens, allTokens));
    figures.put(VALUE_LOSS, shard.scaled(terms.valueLoss(), tokens, allTokens));
    figures.put(CLIP_FRACTION, shard.scaled(terms.clipFraction(), tokens, allTokens));
    figures.put(APPROX_KL, shard.scaled(terms.approxKl(), tokens, allTokens));
    NDArray total = shard.scaled(terms.loss(), tokens, allTokens);
    if (!demos.isEmpty()) {
      int pad = replica.tokenizer().specialId(SpecialToken.END_OF_TEXT);
      NDArray lm = SftTrainer.shardLoss(replica, demos, shard, pad, m);
      if (lm != null) {
        figures.put(PTX_LOSS, lm);
        total = total.add(Scalars.mul(lm, config.ptxCoef()));
      }
    }
    return new DataParallel.Part(total, figures);
  }
}
