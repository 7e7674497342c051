package dev.rlhf.labeling.quality.measures;

/** How the overlapping rankings of one prompt become one set of pairs. */
public enum ConsensusMethod {
  /**
   * Each pair on its own: the side more (trust-weighted) rankers put first wins; a tie in a ranking
   * counts half for each side; an even split gives no pair.
   */
  MAJORITY,
  /**
   * Borda count: an item scores, in each ranking, the number of items ranked below it (half for
   * each tied one), times the ranking's weight; the pair goes to the higher total.
   */
  BORDA,
  /**
   * A Bradley-Terry model of the prompt's completions fitted to all its rankings' pairs; the pair
   * goes to the stronger item and its confidence is the model's probability of that order.
   */
  BRADLEY_TERRY
}
