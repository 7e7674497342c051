package dev.rlhf.lm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One id per UTF-8 byte (0-255), then the special tokens (256-261): no training, no files, any text
 * round-trips. Suits the tiny demo networks, whose vocabulary must stay small.
 */
public final class ByteTokenizer implements Tokenizer {

  public static final String NAME = "byte";
  private static final int BYTES = 256;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int vocabSize() {
    return BYTES + SpecialToken.values().length;
  }

  @Override
  public int[] encodeOrdinary(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xff;
    }
    return ids;
  }

  @Override
  public int specialId(SpecialToken token) {
    return BYTES + token.ordinal();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id >= 0 && id < BYTES) {
        pending.write(id);
      } else {
        flush(pending, out);
        out.append(id < vocabSize() ? SpecialToken.values()[id - BYTES].text() : "\uFFFD");
      }
    }
    flush(pending, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream pending, StringBuilder out) {
    out.append(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
  }
}
