package dev.rlhf.policy.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.GradientClipping;
import dev.rlhf.lm.train.Scalars;
import dev.rlhf.policy.config.PpoConfig;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The optimisation half of a PPO iteration: several epochs of minibatch steps on one buffer of
 * rollouts. Policy and value head share the network and one optimizer; one gradient collector is
 * open at a time, per minibatch.
 */
public final class PpoUpdate {

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

  private final LanguageModel policy;
  private final AdamW adam;
  private final PpoConfig config;
  private final PpoLoss loss;
  private final List<SftExample> demonstrations;

  /**
   * @param demonstrations what the ptx term trains on (unused while {@code ptxCoef} is 0)
   */
  public PpoUpdate(
      LanguageModel policy, AdamW adam, PpoConfig config, List<SftExample> demonstrations) {
    this.policy = policy;
    this.adam = adam;
    this.config = config;
    this.loss = new PpoLoss(config.clipRange(), config.clipRangeValue(), config.valueCoef());
    this.demonstrations = List.copyOf(demonstrations);
  }

  private boolean ptx() {
    return config.ptxCoef() > 0 && !demonstrations.isEmpty();
  }

  public Stats run(RolloutBuffer buffer, Random random) {
    double pg = 0;
    double vf = 0;
    double clip = 0;
    double kl = 0;
    double ptx = 0;
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
        float[] ptxLoss = {Float.NaN};
        PpoLoss.Terms terms = step(buffer, mb, demos, ptxLoss);
        ptx += ptxLoss[0];
        pg += terms.policyLoss();
        vf += terms.valueLoss();
        clip += terms.clipFraction();
        kl += terms.approxKl();
        for (int i : mb) {
          tokens += buffer.rollouts().get(i).sequence().length;
        }
        steps++;
      }
    }
    return new Stats(pg / steps, vf / steps, clip / steps, kl / steps, ptx / steps, tokens);
  }

  /**
   * One minibatch step; with demonstrations, {@code ptxCoef} times their language-modelling loss
   * joins the PPO loss before the backward pass, and the loss is written to {@code ptxLoss[0]}.
   */
  private PpoLoss.Terms step(
      RolloutBuffer buffer, List<Integer> indices, List<SftExample> demos, float[] ptxLoss) {
    List<Rollout> rollouts = new ArrayList<>();
    float[][] oldLogProbs = new float[indices.size()][];
    float[][] oldValues = new float[indices.size()][];
    float[][] advantages = new float[indices.size()][];
    float[][] returns = new float[indices.size()][];
    for (int k = 0; k < indices.size(); k++) {
      Rollout r = buffer.rollouts().get(indices.get(k));
      rollouts.add(r);
      oldLogProbs[k] = r.logProbs();
      oldValues[k] = r.values();
      advantages[k] = buffer.advantages()[indices.get(k)];
      returns[k] = buffer.returns()[indices.get(k)];
    }
    try (NDManager step = policy.manager().newSubManager();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      PpoLoss.Terms terms;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        PolicyForward now = PolicyForward.run(policy, rollouts, config.temperature(), step, true);
        long t = now.mask().getShape().get(1);
        NDArray oldLp = PolicyForward.atResponses(step, rollouts, oldLogProbs, t);
        NDArray oldV = PolicyForward.atResponses(step, rollouts, oldValues, t);
        NDArray adv = PolicyForward.atResponses(step, rollouts, advantages, t);
        NDArray ret = PolicyForward.atResponses(step, rollouts, returns, t);
        terms = loss.compute(now.logProbs(), oldLp, now.values(), oldV, adv, ret, now.mask());
        NDArray total = terms.loss();
        if (!demos.isEmpty()) {
          int pad = policy.tokenizer().specialId(SpecialToken.END_OF_TEXT);
          NDArray lm = SftTrainer.batchLoss(policy, demos, pad, step);
          ptxLoss[0] = lm.getFloat();
          total = total.add(Scalars.mul(lm, config.ptxCoef()));
        }
        collector.backward(total);
      }
      float norm = GradientClipping.clip(adam.weights(), config.gradClip());
      if (Float.isFinite(norm)) {
        adam.step(config.lr());
      } else {
        adam.zeroGradients();
      }
      return terms;
    }
  }
}
