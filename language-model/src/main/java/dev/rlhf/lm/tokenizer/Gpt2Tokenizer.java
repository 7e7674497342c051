package dev.rlhf.lm.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * GPT-2's byte-level BPE (r50k_base, bundled with jtokkit, so it works offline).
 *
 * <p>Ids 0-50255 are GPT-2's ordinary tokens and 50256 is its own {@code <|endoftext|>}. The other
 * special tokens are added above it, in {@link SpecialToken} order: {@code <|system|>} 50257,
 * {@code <|user|>} 50258, {@code <|assistant|>} 50259, {@code <|end|>} 50260, {@code <|reward|>}
 * 50261. The vocabulary therefore grows from GPT-2's 50257 to 50262; importing GPT-2 weights adds
 * embedding rows for the new ids.
 */
public final class Gpt2Tokenizer implements Tokenizer {

  public static final String NAME = "gpt2";

  /** Size of GPT-2's own vocabulary, {@code <|endoftext|>} included. */
  public static final int GPT2_VOCAB_SIZE = 50257;

  /** GPT-2's ids plus the five special tokens added above them. */
  public static final int VOCAB_SIZE = GPT2_VOCAB_SIZE + 5;

  private static final int END_OF_TEXT = 50256;
  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int vocabSize() {
    return VOCAB_SIZE;
  }

  @Override
  public int[] encodeOrdinary(String text) {
    return ENCODING.encodeOrdinary(text).toArray();
  }

  @Override
  public int specialId(SpecialToken token) {
    return token == SpecialToken.END_OF_TEXT ? END_OF_TEXT : GPT2_VOCAB_SIZE + token.ordinal() - 1;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    IntArrayList run = new IntArrayList();
    for (int id : ids) {
      SpecialToken special = special(id);
      if (special == null && id >= 0 && id < END_OF_TEXT) {
        run.add(id);
      } else {
        out.append(ENCODING.decode(run));
        run.clear();
        out.append(special == null ? "\uFFFD" : special.text());
      }
    }
    out.append(ENCODING.decode(run));
    return out.toString();
  }
}
