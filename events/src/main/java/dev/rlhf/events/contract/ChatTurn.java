package dev.rlhf.events.contract;

import java.util.Objects;

/** One turn of a conversation. */
public record ChatTurn(Role role, String text) {

  /** Who speaks a turn; the chat template marks each with its own special token. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT
  }

  public ChatTurn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }
}
