package dev.rlhf.runtime.rest;

import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one choice's tokens, as they are sampled, into text pieces for streaming. Text is held back
 * while it ends inside a UTF-8 character or could be the start of a stop sequence, and nothing from
 * a stop sequence on is sent, so the pieces always join to exactly the final completion text.
 */
final class TextStream {

  private static final char REPLACEMENT = '\uFFFD';

  private final Tokenizer tokenizer;
  private final List<String> stop;
  private int[] ordinary = new int[16];
  private int count;
  private int sent;
  private boolean stopped;

  TextStream(Tokenizer tokenizer, List<String> stop) {
    this.tokenizer = tokenizer;
    this.stop = stop;
  }

  /** The text that {@code token} makes safe to send; empty when there is none yet. */
  String next(int token) {
    if (stopped || tokenizer.special(token) != null) {
      return "";
    }
    if (count == ordinary.length) {
      ordinary = Arrays.copyOf(ordinary, count * 2);
    }
    ordinary[count++] = token;
    String text = tokenizer.decode(Arrays.copyOf(ordinary, count));
    int safe = text.length();
    while (safe > sent && text.charAt(safe - 1) == REPLACEMENT) {
      safe--;
    }
    int cut = firstStop(text);
    if (cut >= 0) {
      stopped = true;
      safe = Math.min(safe, cut);
    } else {
      safe = Math.min(safe, text.length() - longestStopPrefixAtEnd(text));
    }
    if (safe <= sent) {
      return "";
    }
    String piece = text.substring(sent, safe);
    sent = safe;
    return piece;
  }

  /** What is left to send of the completion's final text once sampling has ended. */
  String rest(String finalText) {
    String piece = finalText.length() > sent ? finalText.substring(sent) : "";
    sent = Math.max(sent, finalText.length());
    return piece;
  }

  private int firstStop(String text) {
    int first = -1;
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  private int longestStopPrefixAtEnd(String text) {
    int longest = 0;
    for (String s : stop) {
      for (int k = Math.min(s.length() - 1, text.length()); k > longest; k--) {
        if (text.endsWith(s.substring(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
