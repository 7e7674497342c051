package dev.rlhf.lm.pretrain;

import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.List;
import java.util.Random;

/**
 * A corpus as one token stream, documents separated by {@code <|endoftext|>}, split into a training
 * part and a held-out validation tail. Rows of B x (T + 1) tokens are cut from it at random
 * offsets, so one row may span several documents, as in GPT pretraining.
 */
public final class PackedTokens {

  private final int[] train;
  private final int[] validation;

  private PackedTokens(int[] train, int[] validation) {
    this.train = train;
    this.validation = validation;
  }

  /**
   * @param documents corpus documents; special-token literals inside them are honoured
   * @param validationFraction share of the stream held out at its end
   */
  public static PackedTokens of(
      List<String> documents, Tokenizer tokenizer, double validationFraction) {
    int eot = tokenizer.specialId(SpecialToken.END_OF_TEXT);
    int[][] encoded = documents.stream().map(tokenizer::encodeWithSpecials).toArray(int[][]::new);
    int total = 0;
    for (int[] doc : encoded) {
      total += doc.length + 1;
    }
    int[] stream = new int[total];
    int at = 0;
    for (int[] doc : encoded) {
      stream[at++] = eot;
      System.arraycopy(doc, 0, stream, at, doc.length);
      at += doc.length;
    }
    int split = (int) (total * (1 - validationFraction));
    return new PackedTokens(
        java.util.Arrays.copyOfRange(stream, 0, split),
        java.util.Arrays.copyOfRange(stream, split, total));
  }

  public int trainTokens() {
    return train.length;
  }

  public int validationTokens() {
    return validation.length;
  }

  /** {@code batch} random rows of {@code context + 1} training tokens, row-major. */
  public long[] trainRows(Random random, int batch, int context) {
    long[] rows = new long[batch * (context + 1)];
    for (int b = 0; b < batch; b++) {
      int start = random.nextInt(train.length - context - 1);
      copy(train, start, rows, b * (context + 1), context + 1);
    }
    return rows;
  }

  /** Validation rows at fixed, evenly spaced offsets, so every evaluation sees the same data. */
  public long[] validationRows(int index, int count, int batch, int context) {
    if (validation.length < context + 2) {
      throw new IllegalStateException("validation slice shorter than one row");
    }
    long[] rows = new long[batch * (context + 1)];
    int span = validation.length - context - 1;
    for (int b = 0; b < batch; b++) {
      int start = (int) ((long) (index * batch + b) * span / Math.max(1, count * batch));
      copy(validation, start, rows, b * (context + 1), context + 1);
    }
    return rows;
  }

  private static void copy(int[] from, int start, long[] to, int at, int length) {
    for (int i = 0; i < length; i++) {
      to[at + i] = from[start + i];
    }
  }
}
