package dev.rlhf.reward.training;

import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.ChatTemplate.RewardInput;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prompts of one step as a token matrix: one row per distinct completion, right-padded (the
 * network is causal and the reward is read at {@code <|reward|>}, so padding after it changes
 * nothing), and per pair the rows of the chosen and rejected texts with the pair's weight w /
 * numPairs(prompt), so each prompt counts as one example however many pairs its ranking gave. w is
 * the pair's own weight (1 unless consensus and trust lowered it): a prompt whose pairs are all
 * uncertain counts as less than one example.
 *
 * @param tokens (rows, length) row-major
 * @param readIndex per row, position of the reward read-out token
 */
record EncodedBatch(
    long[] tokens,
    int rows,
    int length,
    long[] readIndex,
    long[] chosenRow,
    long[] rejectedRow,
    float[] pairWeight,
    int prompts) {

  private static final long PAD = 0;

  /**
   * @param maxLength the network's context; longer inputs keep their last {@code maxLength} tokens
   *     (the end of the conversation, the completion and the read-out token)
   */
  static EncodedBatch of(List<PromptComparisons> prompts, ChatTemplate template, int maxLength) {
    List<int[]> rows = new ArrayList<>();
    List<Long> chosen = new ArrayList<>();
    List<Long> rejected = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    for (PromptComparisons p : prompts) {
      int first = rows.size();
      for (String completion : p.completions()) {
        RewardInput in = template.rewardInput(p.conversation(), completion);
        int[] t = in.tokens();
        rows.add(t.length <= maxLength ? t : Arrays.copyOfRange(t, t.length - maxLength, t.length));
      }
      float perPrompt = 1f / p.pairCount();
      for (int i = 0; i < p.pairCount(); i++) {
        chosen.add((long) first + p.chosen()[i]);
        rejected.add((long) first + p.rejected()[i]);
        weights.add(p.weights()[i] * perPrompt);
      }
    }
    int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    long[] tokens = new long[rows.size() * length];
    long[] read = new long[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      int[] row = rows.get(r);
      Arrays.fill(tokens, r * length, (r + 1) * length, PAD);
      for (int i = 0; i < row.length; i++) tokens[r * length + i] = row[i];
      read[r] = row.length - 1;
    }
    float[] w = new float[weights.size()];
    for (int i = 0; i < w.length; i++) w[i] = weights.get(i);
    return new EncodedBatch(
        tokens,
        rows.size(),
        length,
        read,
        chosen.stream().mapToLong(Long::longValue).toArray(),
        rejected.stream().mapToLong(Long::longValue).toArray(),
        w,
        prompts.size());
  }

  int pairs() {
    return chosenRow.length;
  }
}
