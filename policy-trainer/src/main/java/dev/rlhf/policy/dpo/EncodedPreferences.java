package dev.rlhf.policy.dpo;

import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.policy.ppo.RolloutCollector;
import dev.rlhf.policy.train.ResponseSequence;
import dev.rlhf.training.preferences.PromptComparisons;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Preference pairs as the policy reads them. Each prompt's distinct completions are encoded once,
 * as the runtime would have answered: the prompt in the chat template up to {@code <|assistant|>},
 * the completion and the {@code <|end|>} that closes it (so the response is what the loss counts,
 * the closing token included, as in SFT). Their log-probabilities under the frozen reference are
 * computed once here: the reference never changes, so a training step needs one pass, the policy's.
 */
final class EncodedPreferences {

  /**
   * One prompt's completions.
   *
   * @param responses each distinct completion after the prompt, in the source's order
   * @param reference each one's log-probability under the reference
   */
  record Prompt(PromptComparisons source, List<ResponseSequence> responses, float[] reference) {}

  /**
   * The completions of some prompts as the rows of one pass, and the pairs as rows.
   *
   * @param reference each row's log-probability under the reference
   * @param lengths each row's response length in tokens
   * @param chosen per pair, the row of its chosen response
   * @param rejected per pair, the row of its rejected response
   * @param weights per pair, its weight in the loss
   */
  record Rows(
      List<ResponseSequence> rows,
      float[] reference,
      float[] lengths,
      long[] chosen,
      long[] rejected,
      float[] weights) {

    static Rows of(List<Prompt> prompts) {
      List<ResponseSequence> rows = new ArrayList<>();
      List<Float> reference = new ArrayList<>();
      List<long[]> pairs = new ArrayList<>();
      List<Float> weights = new ArrayList<>();
      for (Prompt p : prompts) {
        int first = rows.size();
        rows.addAll(p.responses());
        for (float r : p.reference()) reference.add(r);
        int[] c = p.source().chosen();
        int[] r = p.source().rejected();
        for (int i = 0; i < c.length; i++) {
          pairs.add(new long[] {first + c[i], first + r[i]});
          weights.add(p.source().weights()[i]);
        }
      }
      float[] ref = new float[rows.size()];
      float[] lengths = new float[rows.size()];
      float[] w = new float[weights.size()];
      for (int i = 0; i < w.length; i++) w[i] = weights.get(i);
      for (int i = 0; i < ref.length; i++) {
        ref[i] = reference.get(i);
        lengths[i] = rows.get(i).length();
      }
      return new Rows(
          rows,
          ref,
          lengths,
          pairs.stream().mapToLong(p -> p[0]).toArray(),
          pairs.stream().mapToLong(p -> p[1]).toArray(),
          w);
    }

    int pairs() {
      return chosen.length;
    }
  }

  private EncodedPreferences() {}

  /**
   * Encodes the prompts and scores their completions under {@code reference}, {@code batch} prompts
   * a pass (always the same passes for the same prompts, so a resumed run gets the same numbers).
   */
  static List<Prompt> encode(List<PromptComparisons> prompts, LanguageModel reference, int batch) {
    ChatTemplate template = reference.chatTemplate();
    int context = reference.config().blockSize();
    int end = template.tokenizer().specialId(SpecialToken.END_OF_TURN);
    List<List<ResponseSequence>> encoded = new ArrayList<>();
    for (PromptComparisons p : prompts) {
      int[] prompt =
          RolloutCollector.fitted(template.promptForCompletion(p.conversation()), context);
      // The pass reads all but the last token, so a row may be one token longer than the context.
      int room = context + 1 - prompt.length;
      List<ResponseSequence> responses = new ArrayList<>();
      for (String completion : p.completions()) {
        int[] text = template.tokenizer().encodeOrdinary(completion);
        int[] response = Arrays.copyOf(text, text.length + 1);
        response[text.length] = end;
        responses.add(
            ResponseSequence.of(prompt, Arrays.copyOf(response, Math.min(room, response.length))));
      }
      encoded.add(responses);
    }
    List<Prompt> out = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += batch) {
      int to = Math.min(prompts.size(), from + batch);
      List<ResponseSequence> rows = new ArrayList<>();
      encoded.subList(from, to).forEach(rows::addAll);
      float[] logProbs = logProbs(reference, rows);
      int row = 0;
      for (int i = from; i < to; i++) {
        List<ResponseSequence> responses = encoded.get(i);
        out.add(
            new Prompt(
                prompts.get(i),
                responses,
                Arrays.copyOfRange(logProbs, row, row + responses.size())));
        row += responses.size();
      }
    }
    return out;
  }

  private static float[] logProbs(LanguageModel network, List<ResponseSequence> rows) {
    try (NDManager m = network.manager().newSubManager()) {
      return LengthBuckets.sequenceLogProbs(network, rows, LengthBuckets.of(rows), m, false)
          .toFloatArray();
    }
  }
}
