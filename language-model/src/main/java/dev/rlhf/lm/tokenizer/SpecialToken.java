package dev.rlhf.lm.tokenizer;

/** Tokens with a fixed meaning in every tokenizer; their ids come after the ordinary ones. */
public enum SpecialToken {
  /** Separates documents in pretraining and starts every conversation. */
  END_OF_TEXT("<|endoftext|>"),
  SYSTEM("<|system|>"),
  USER("<|user|>"),
  ASSISTANT("<|assistant|>"),
  /** Ends one turn of a conversation; the assistant emitting it means it is done. */
  END_OF_TURN("<|end|>"),
  /** Appended after a completion; the reward head is read at this token. */
  REWARD("<|reward|>");

  private final String text;

  SpecialToken(String text) {
    this.text = text;
  }

  /** The literal form, e.g. {@code <|user|>}, used in corpora and decoded text. */
  public String text() {
    return text;
  }
}
