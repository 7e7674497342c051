package dev.rlhf.reward.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.rlhf.lm.train.Scalars;

/** The Bradley-Terry loss of a reward model: -log sigmoid(r_chosen - r_rejected). */
final class PairwiseLoss {

  private PairwiseLoss() {}

  /**
   * @param rewards one reward per row (R)
   * @return per pair r_chosen - r_rejected (P)
   */
  static NDArray margins(NDArray rewards, EncodedBatch batch, NDManager m) {
    NDArray chosen = rewards.get(new NDIndex("{}", m.create(batch.chosenRow()))); // (P)
    NDArray rejected = rewards.get(new NDIndex("{}", m.create(batch.rejectedRow()))); // (P)
    return chosen.sub(rejected); // (P)
  }

  /**
   * Weighted mean over prompts: softplus(-margin) is -log sigmoid(margin) without overflow, each
   * pair weighted 1 / numPairs(its prompt), divided by the number of prompts.
   *
   * @return scalar
   */
  static NDArray loss(NDArray margins, EncodedBatch batch, NDManager m) {
    NDArray perPair = Activation.softPlus(margins.neg()); // (P)
    return Scalars.div(perPair.mul(m.create(batch.pairWeight())).sum(), batch.prompts());
  }
}
