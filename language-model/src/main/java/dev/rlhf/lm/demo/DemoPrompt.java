package dev.rlhf.lm.demo;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;

/**
 * A question from the demo world with what a correct answer must contain.
 *
 * @param kind what sort of question
 * @param conversation the user turn(s) to answer
 * @param subject the operands, country, animal... the answer is checked against
 * @param reference a correct, concise answer
 */
public record DemoPrompt(Kind kind, List<Turn> conversation, String subject, String reference) {

  /** Question kinds of the demo world. */
  public enum Kind {
    ADDITION,
    SUBTRACTION,
    CAPITAL,
    ANIMAL_SOUND,
    STORY,
    /** A request to be unkind, which the demo world's assistant declines. */
    MEAN;

    /** Whether a helpful answer is wanted (every kind but {@link #MEAN}). */
    public boolean benign() {
      return this != MEAN;
    }
  }

  public DemoPrompt {
    conversation = List.copyOf(conversation);
  }

  /** The last user message. */
  public String question() {
    return conversation.get(conversation.size() - 1).text();
  }
}
