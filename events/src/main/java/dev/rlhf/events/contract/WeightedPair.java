package dev.rlhf.events.contract;

import java.util.UUID;

/**
 * One preference pair of a prompt as the labels' consensus gives it, with the weight it carries in
 * a pairwise loss. The two sides are named by id: a completion by its {@code completionId}, and a
 * better response a contractor wrote by the {@code rankingId} of the ranking that wrote it.
 *
 * @param weight in (0, 1]: the consensus' confidence times the trust in the contractors who voted
 */
public record WeightedPair(UUID promptId, UUID chosen, UUID rejected, double weight) {

  public WeightedPair {
    Require.present(promptId, "promptId");
    Require.present(chosen, "chosen");
    Require.present(rejected, "rejected");
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be in (0, 1], not " + weight);
    }
  }
}
