package dev.rlhf.lm.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Turns text into token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {

  /** Name stored in checkpoints; {@link #byName} gives the tokenizer back. */
  String name();

  /** Number of ids, special tokens included (the network's vocabulary size). */
  int vocabSize();

  /** Encodes plain text; special-token literals in it are encoded as ordinary text. */
  int[] encodeOrdinary(String text);

  /** The id of a special token. */
  int specialId(SpecialToken token);

  /**
   * Decodes ids; special tokens appear in their literal form. Incomplete UTF-8 at the end is
   * replaced by U+FFFD.
   */
  String decode(int[] ids);

  /** The special token with this id, or null for an ordinary id. */
  default SpecialToken special(int id) {
    for (SpecialToken t : SpecialToken.values()) {
      if (specialId(t) == id) {
        return t;
      }
    }
    return null;
  }

  /**
   * Encodes text in which special-token literals ({@code <|user|>}, ...) stand for their ids, as in
   * a pretraining corpus. Never use it on untrusted input: it would let users forge turns.
   */
  default int[] encodeWithSpecials(String text) {
    List<int[]> parts = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int best = -1;
      SpecialToken found = null;
      for (SpecialToken t : SpecialToken.values()) {
        int at = text.indexOf(t.text(), from);
        if (at >= 0 && (best < 0 || at < best)) {
          best = at;
          found = t;
        }
      }
      if (found == null) {
        parts.add(encodeOrdinary(text.substring(from)));
        break;
      }
      if (best > from) {
        parts.add(encodeOrdinary(text.substring(from, best)));
      }
      parts.add(new int[] {specialId(found)});
      from = best + found.text().length();
    }
    return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
  }

  /** The tokenizer a checkpoint names. */
  static Tokenizer byName(String name) {
    return switch (name) {
      case ByteTokenizer.NAME -> new ByteTokenizer();
      case Gpt2Tokenizer.NAME -> new Gpt2Tokenizer();
      default -> throw new IllegalArgumentException("unknown tokenizer: " + name);
    };
  }
}
