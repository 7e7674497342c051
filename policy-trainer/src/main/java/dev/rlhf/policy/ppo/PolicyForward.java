package dev.rlhf.policy.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.train.LanguageModelLoss;
import dev.rlhf.lm.train.Scalars;
import dev.rlhf.policy.train.PaddedBatch;
import dev.rlhf.policy.train.ResponseSequence;
import java.util.List;

/**
 * One teacher-forced pass over prompt+response sequences, right-padded to width W: PPO's rollouts,
 * the evaluation's answers, DPO's chosen and rejected responses. Position j of the (B, W-1) outputs
 * is the action of emitting token j+1 from the state after token j, so response token i of a prompt
 * of length P sits at j = P - 1 + i.
 *
 * @param logProbs (B, W-1) log-probability of each next token
 * @param values (B, W-1) value estimates of each state, or null without a value head
 * @param logits (B, W-1, V) temperature-scaled logits
 * @param mask (B, W-1) 1 on response actions
 */
public record PolicyForward(NDArray logProbs, NDArray values, NDArray logits, NDArray mask) {

  /**
   * @param manager where every result lives (a per-step sub-manager)
   * @param training true only inside a gradient collector
   */
  public static PolicyForward run(
      LanguageModel network,
      List<? extends ResponseSequence> rollouts,
      float temperature,
      NDManager manager,
      boolean training) {
    int pad = network.tokenizer().specialId(SpecialToken.END_OF_TEXT);
    PaddedBatch batch =
        PaddedBatch.of(rollouts.stream().map(ResponseSequence::sequence).toList(), pad);
    NDArray tokens = batch.toArray(manager); // (B, W)
    NDArray hidden = network.hidden(tokens.get(":, :-1"), null, training); // (B, W-1, C)
    NDArray logits = network.logits(hidden, training); // (B, W-1, V)
    if (temperature != 1f) {
      logits = Scalars.div(logits, temperature);
    }
    NDArray logProbs = LanguageModelLoss.tokenLogProbs(logits, tokens.get(":, 1:")); // (B, W-1)
    NDArray values = network.hasValueHead() ? network.values(hidden, training) : null;
    return new PolicyForward(logProbs, values, logits, responseMask(manager, rollouts, batch));
  }

  private static NDArray responseMask(
      NDManager m, List<? extends ResponseSequence> rollouts, PaddedBatch batch) {
    int t = batch.width() - 1;
    float[] mask = new float[rollouts.size() * t];
    for (int b = 0; b < rollouts.size(); b++) {
      int start = rollouts.get(b).promptTokens().length - 1;
      for (int i = 0; i < rollouts.get(b).length(); i++) {
        mask[b * t + start + i] = 1f;
      }
    }
    return m.create(mask, new Shape(rollouts.size(), t));
  }

  /** Per-row slices of a (B, W-1) array at each rollout's response actions. */
  public static float[][] responseSlices(
      NDArray perPosition, List<? extends ResponseSequence> rollouts) {
    float[] flat = perPosition.toFloatArray();
    int t = (int) perPosition.getShape().get(1);
    float[][] out = new float[rollouts.size()][];
    for (int b = 0; b < rollouts.size(); b++) {
      int start = rollouts.get(b).promptTokens().length - 1;
      out[b] = new float[rollouts.get(b).length()];
      System.arraycopy(flat, b * t + start, out[b], 0, out[b].length);
    }
    return out;
  }

  /** Per-row arrays placed back at the response actions of a (B, W-1) array, zeros elsewhere. */
  public static NDArray atResponses(
      NDManager m, List<? extends ResponseSequence> rollouts, float[][] rows, long t) {
    float[] flat = new float[(int) (rollouts.size() * t)];
    for (int b = 0; b < rollouts.size(); b++) {
      int start = rollouts.get(b).promptTokens().length - 1;
      System.arraycopy(rows[b], 0, flat, (int) (b * t + start), rows[b].length);
    }
    return m.create(flat, new Shape(rollouts.size(), t));
  }

  /** Log-probability of each whole response, the sum over its tokens (B). */
  public NDArray sequenceLogProbs() {
    return logProbs.mul(mask).sum(new int[] {1}); // (B)
  }

  /** Entropy of each next-token distribution (B, W-1). */
  public NDArray entropy() {
    NDArray logp = logits.logSoftmax(-1); // (B, W-1, V)
    return logp.exp().mul(logp).sum(new int[] {-1}).neg(); // (B, W-1)
  }
}
