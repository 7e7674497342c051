package dev.rlhf.events.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Objects;

/** One turn of a conversation. */
public record ChatTurn(Role role, String text) {

  /** Who speaks a turn; the chat template marks each with its own special token. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT;

    /** Read in any case: OpenAI-style producers write {@code "user"}. */
    @JsonCreator
    public static Role of(String name) {
      return Require.oneOf(Role.class, name, "role");
    }
  }

  public ChatTurn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }
}
