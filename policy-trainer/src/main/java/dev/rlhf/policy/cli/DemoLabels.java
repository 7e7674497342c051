package dev.rlhf.policy.cli;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.DemonstrationSubmitted;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Labels of the demo world as a contractor would give them, for trying the trainer without one. */
final class DemoLabels {

  private static final String CONTRACTOR = "demo-world";

  private DemoLabels() {}

  /** Questions answered with their reference answers. */
  static List<DemonstrationSubmitted> demonstrations(int count, long seed) {
    DemoWorld world = new DemoWorld(seed);
    List<DemonstrationSubmitted> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt p = world.next();
      out.add(
          new DemonstrationSubmitted(
              UUID.randomUUID(),
              Instant.now(),
              UUID.randomUUID(),
              null,
              UUID.randomUUID(),
              question(p),
              p.reference(),
              null,
              1,
              CONTRACTOR));
    }
    return out;
  }

  /**
   * Questions whose reference answer is ranked over the answer to another question of the same
   * kind: the same form, the wrong content.
   */
  static List<RankingSubmitted> rankings(int count, long seed) {
    DemoWorld world = new DemoWorld(seed);
    List<RankingSubmitted> out = new ArrayList<>();
    while (out.size() < count) {
      DemoPrompt p = world.next();
      DemoPrompt other = world.next(p.kind());
      if (other.reference().equals(p.reference())) continue;
      out.add(
          new RankingSubmitted(
              UUID.randomUUID(),
              Instant.now(),
              UUID.randomUUID(),
              null,
              UUID.randomUUID(),
              question(p),
              List.of(
                  new RankingSubmitted.RankedCompletion(UUID.randomUUID(), p.reference(), null, 1),
                  new RankingSubmitted.RankedCompletion(
                      UUID.randomUUID(), other.reference(), null, 2)),
              false,
              null,
              1,
              CONTRACTOR));
    }
    return out;
  }

  private static List<ChatTurn> question(DemoPrompt p) {
    return List.of(new ChatTurn(ChatTurn.Role.USER, p.question()));
  }
}
