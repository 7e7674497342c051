package dev.rlhf.policy.data;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.lm.tokenizer.Role;
import dev.rlhf.lm.tokenizer.Turn;
import java.util.ArrayList;
import java.util.List;

/** Maps the event contracts' conversations onto the chat template's turns. */
public final class Conversations {

  private Conversations() {}

  /** The prompt part of a demonstration: every turn before the demonstrated response. */
  public static List<Turn> prompt(DemonstrationSubmitted d) {
    return d.conversation().stream().map(Conversations::turn).toList();
  }

  /** The prompt followed by the demonstrated response as the assistant's turn. */
  public static List<Turn> withResponse(DemonstrationSubmitted d) {
    List<Turn> all = new ArrayList<>(prompt(d));
    all.add(Turn.assistant(d.response()));
    return all;
  }

  /** A conversation of the event contracts as the chat template's turns. */
  public static List<Turn> turns(List<ChatTurn> conversation) {
    return conversation.stream().map(Conversations::turn).toList();
  }

  private static Turn turn(ChatTurn t) {
    Role role =
        switch (t.role()) {
          case SYSTEM -> Role.SYSTEM;
          case USER -> Role.USER;
          case ASSISTANT -> Role.ASSISTANT;
        };
    return new Turn(role, t.text());
  }
}
