package dev.rlhf.lm.sample;

import dev.rlhf.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** The growing state of one completion while it is decoded. */
final class GrowingCompletion {

  private final Tokenizer tokenizer;
  private final List<Integer> tokens = new ArrayList<>();
  private final List<Float> logProbs = new ArrayList<>();
  private FinishReason reason;

  GrowingCompletion(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  void add(TokenSampler.Choice c) {
    tokens.add(c.token());
    logProbs.add(c.logProb());
  }

  int length() {
    return tokens.size();
  }

  long lastToken() {
    return tokens.get(tokens.size() - 1);
  }

  boolean isFinished() {
    return reason != null;
  }

  void finish(FinishReason why) {
    reason = why;
  }

  /**
   * Ends the completion with {@link FinishReason#STOP} when its last token ends a turn or the text,
   * or its text now holds a stop sequence.
   */
  void stopIfDone(int endOfTurn, int endOfText, List<String> stop) {
    long last = lastToken();
    if (last == endOfTurn || last == endOfText || hitsStopSequence(stop)) {
      reason = FinishReason.STOP;
    }
  }

  private boolean hitsStopSequence(List<String> stop) {
    if (stop.isEmpty()) {
      return false;
    }
    String text = text();
    return stop.stream().anyMatch(text::contains);
  }

  private String text() {
    int[] ids =
        tokens.stream()
            .mapToInt(Integer::intValue)
            .filter(t -> tokenizer.special(t) == null)
            .toArray();
    return tokenizer.decode(ids);
  }

  /** The completion so far; one that has not stopped ended by length. */
  Completion toCompletion(List<String> stop) {
    String text = text();
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0) {
        text = text.substring(0, at);
      }
    }
    float[] lp = new float[logProbs.size()];
    for (int i = 0; i < lp.length; i++) {
      lp[i] = logProbs.get(i);
    }
    return new Completion(
        text,
        tokens.stream().mapToInt(Integer::intValue).toArray(),
        lp,
        reason == null ? FinishReason.LENGTH : reason);
  }
}
