package dev.rlhf.runtime.rest;

import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a completion's text into per-token pieces for streaming. A piece is held back while the
 * decoded bytes end inside a UTF-8 character, and the pieces always join to exactly the final text
 * (which has any stop sequence cut off).
 */
final class TextDeltas {

  private TextDeltas() {}

  static List<String> of(Completion completion, Tokenizer tokenizer) {
    String text = completion.text();
    int[] ordinary =
        Arrays.stream(completion.tokens()).filter(t -> tokenizer.special(t) == null).toArray();
    List<String> pieces = new ArrayList<>();
    int emitted = 0;
    for (int k = 1; k <= ordinary.length && emitted < text.length(); k++) {
      String prefix = tokenizer.decode(Arrays.copyOf(ordinary, k));
      if (prefix.endsWith("\uFFFD") && k < ordinary.length) {
        continue;
      }
      int end = Math.min(prefix.length(), text.length());
      if (end > emitted && text.startsWith(prefix.substring(0, end))) {
        pieces.add(text.substring(emitted, end));
        emitted = end;
      }
    }
    if (emitted < text.length()) {
      pieces.add(text.substring(emitted));
    }
    return pieces;
  }
}
