package dev.rlhf.lm.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes conversations as one token sequence:
 *
 * <pre>{@code <|endoftext|><|user|>What is 2 + 3?<|end|><|assistant|>2 + 3 = 5.<|end|>}</pre>
 *
 * <p>Each turn is its role token, its text and {@code <|end|>}; the leading {@code <|endoftext|>}
 * marks the start of a document as in pretraining. Turn text is encoded as ordinary text, so a user
 * cannot forge a turn by typing {@code <|assistant|>}.
 */
public final class ChatTemplate {

  private final Tokenizer tokenizer;

  public ChatTemplate(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * A whole conversation and its supervised-fine-tuning loss mask.
   *
   * @param tokens the encoded conversation
   * @param lossMask 1 exactly on assistant text tokens and the {@code <|end|>} closing them; 0 on
   *     role tokens, system and user turns
   */
  public record Encoded(int[] tokens, int[] lossMask) {}

  /**
   * A sequence ending in a completion plus the reward read-out token.
   *
   * @param readIndex position of {@code <|reward|>}, where the reward head is read
   */
  public record RewardInput(int[] tokens, int readIndex) {}

  /** Encodes a conversation with its loss mask (the SFT trainer's input). */
  public Encoded encode(List<Turn> conversation) {
    IntList tokens = new IntList();
    IntList mask = new IntList();
    tokens.add(id(SpecialToken.END_OF_TEXT));
    mask.add(0);
    for (Turn turn : conversation) {
      int trained = turn.role() == Role.ASSISTANT ? 1 : 0;
      tokens.add(id(turn.role().token()));
      mask.add(0);
      for (int t : tokenizer.encodeOrdinary(turn.text())) {
        tokens.add(t);
        mask.add(trained);
      }
      tokens.add(id(SpecialToken.END_OF_TURN));
      mask.add(trained);
    }
    return new Encoded(tokens.toArray(), mask.toArray());
  }

  /** The conversation so far followed by {@code <|assistant|>}: what to sample a reply from. */
  public int[] promptForCompletion(List<Turn> conversation) {
    IntList tokens = new IntList();
    tokens.addAll(encode(conversation).tokens());
    tokens.add(id(SpecialToken.ASSISTANT));
    return tokens.toArray();
  }

  /**
   * The conversation, the assistant's completion closed by {@code <|end|>}, then {@code
   * <|reward|>}.
   */
  public RewardInput rewardInput(List<Turn> conversation, String completion) {
    List<Turn> all = new ArrayList<>(conversation);
    all.add(Turn.assistant(completion));
    IntList tokens = new IntList();
    tokens.addAll(encode(all).tokens());
    tokens.add(id(SpecialToken.REWARD));
    int[] array = tokens.toArray();
    return new RewardInput(array, array.length - 1);
  }

  /**
   * The conversation as text with special-token literals, the form used in a pretraining corpus
   * (read back with {@link Tokenizer#encodeWithSpecials}).
   */
  public static String render(List<Turn> conversation) {
    StringBuilder out = new StringBuilder();
    for (Turn turn : conversation) {
      out.append(turn.role().token().text())
          .append(turn.text())
          .append(SpecialToken.END_OF_TURN.text());
    }
    return out.toString();
  }

  private int id(SpecialToken token) {
    return tokenizer.specialId(token);
  }

  /** A growable int array, to avoid boxing every token. */
  private static final class IntList {
    private int[] data = new int[64];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] values) {
      for (int v : values) {
        add(v);
      }
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
