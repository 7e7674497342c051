package dev.rlhf.lm.tokenizer;

/** Who speaks in a turn of a conversation. */
public enum Role {
  SYSTEM(SpecialToken.SYSTEM),
  USER(SpecialToken.USER),
  ASSISTANT(SpecialToken.ASSISTANT);

  private final SpecialToken token;

  Role(SpecialToken token) {
    this.token = token;
  }

  /** The special token that opens a turn of this role. */
  public SpecialToken token() {
    return token;
  }
}
