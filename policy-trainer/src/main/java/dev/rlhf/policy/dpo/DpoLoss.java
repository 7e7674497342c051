package dev.rlhf.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.rlhf.lm.train.Scalars;
import dev.rlhf.policy.config.DpoConfig;

/**
 * The preference losses of direct preference optimisation, on the log-ratio of policy to frozen
 * reference, {@code h = (log pi(c) - log ref(c)) - (log pi(r) - log ref(r))} for chosen c over
 * rejected r:
 *
 * <pre>
 * sigmoid (DPO, cDPO with smoothing e): (1 - e) softplus(-beta h) + e softplus(beta h)
 * robust (Chowdhury et al. 2024):       ((1 - e) softplus(-beta h) - e softplus(beta h)) / (1 - 2e)
 * ipo (Azar et al. 2023):               (h - 1 / (2 beta))^2, log-probabilities per token
 * </pre>
 *
 * softplus(-x) is -log sigmoid(x) without overflow. The implicit reward of a response is beta times
 * its log-ratio: DPO's policy is the optimum of a KL-regularised RL problem for that reward.
 *
 * <p>With {@code rpoAlpha} above 0 each pair also pays alpha times its chosen response's negative
 * log-likelihood per token under the policy (RPO, Pang et al. 2024; TRL's {@code rpo_alpha}): the
 * preference term alone can lower both sides of a pair and move probability to text nobody ranked;
 * the likelihood term keeps the chosen responses likely.
 */
public final class DpoLoss {

  /**
   * Per pair (P) figures and the scalar to differentiate.
   *
   * @param loss mean of {@code perPair}, each pair times its weight
   * @param perPair each pair's loss: the preference term, plus the likelihood term with RPO
   * @param chosenRewards implicit reward of each pair's chosen response
   * @param rejectedRewards implicit reward of each pair's rejected response
   */
  public record Terms(
      NDArray loss, NDArray perPair, NDArray chosenRewards, NDArray rejectedRewards) {

    /** Chosen reward minus rejected reward, per pair (P). */
    public NDArray margins() {
      return chosenRewards.sub(rejectedRewards);
    }
  }

  private final DpoConfig.LossType type;
  private final float beta;
  private final float smoothing;
  private final float rpoAlpha;

  public DpoLoss(DpoConfig config) {
    this.type = config.lossType();
    this.beta = config.beta();
    this.smoothing = config.labelSmoothing();
    this.rpoAlpha = config.rpoAlpha();
  }

  /**
   * @param policy each row's response log-probability under the policy (R), summed over its tokens
   * @param reference the same under the reference (R)
   * @param lengths each row's response length in tokens (R), for IPO's per-token averages
   * @param chosen per pair, the row of its chosen response (P, int64)
   * @param rejected per pair, the row of its rejected response (P, int64)
   */
  public Terms compute(
      NDArray policy, NDArray reference, NDArray lengths, NDArray chosen, NDArray rejected) {
    return compute(policy, reference, lengths, chosen, rejected, null);
  }

  /**
   * The same with per-pair weights (P) in (0, 1]: the loss is {@code sum(w * perPair) / P}, so
   * pairs of weight 1 give the plain mean and an uncertain pair pulls less. Null: every weight 1.
   */
  public Terms compute(
      NDArray policy,
      NDArray reference,
      NDArray lengths,
      NDArray chosen,
      NDArray rejected,
      NDArray weights) {
    NDArray logRatio = policy.sub(reference); // (R)
    if (type == DpoConfig.LossType.IPO) {
      logRatio = logRatio.div(lengths);
    }
    NDArray chosenRatio = logRatio.get(new NDIndex("{}", chosen)); // (P)
    NDArray rejectedRatio = logRatio.get(new NDIndex("{}", rejected)); // (P)
    NDArray h = chosenRatio.sub(rejectedRatio); // (P)
    NDArray perPair =
        switch (type) {
          case SIGMOID ->
              Scalars.mul(Activation.softPlus(Scalars.mul(h, -beta)), 1 - smoothing)
                  .add(Scalars.mul(Activation.softPlus(Scalars.mul(h, beta)), smoothing));
          case ROBUST ->
              Scalars.div(
                  Scalars.mul(Activation.softPlus(Scalars.mul(h, -beta)), 1 - smoothing)
                      .sub(Scalars.mul(Activation.softPlus(Scalars.mul(h, beta)), smoothing)),
                  1 - 2 * smoothing);
          case IPO -> h.sub(1 / (2 * beta)).square();
        };
    if (rpoAlpha > 0) {
      NDArray chosenNll =
          policy.get(new NDIndex("{}", chosen)).div(lengths.get(new NDIndex("{}", chosen))).neg();
      perPair = perPair.add(Scalars.mul(chosenNll, rpoAlpha));
    }
    NDArray loss = weights == null ? perPair.mean() : perPair.mul(weights).mean();
    return new Terms(
        loss, perPair, Scalars.mul(chosenRatio, beta), Scalars.mul(rejectedRatio, beta));
  }
}
