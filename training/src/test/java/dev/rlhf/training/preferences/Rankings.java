package dev.rlhf.training.preferences;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A generated preference set for tests: questions of the demo world answered correctly in three
 * tones, ranked polite (1) over plain (2) over rude (3) by a scripted contractor. The content is
 * the same in all three, so only the learnable property, politeness, separates them.
 */
public final class Rankings {

  private static final List<String> POLITE_OPENERS =
      List.of("Thank you for asking! ", "Happy to help. ", "Good question! ", "Of course. ");
  private static final List<String> POLITE_CLOSERS =
      List.of(" Have a nice day.", " I hope this helps.", " Kind regards.", " You are welcome.");
  private static final List<String> RUDE_OPENERS =
      List.of("Ugh, fine. ", "Obviously, ", "What a dumb question. ", "Whatever. ");
  private static final List<String> RUDE_CLOSERS =
      List.of(" Now go away.", " Stop bothering me.", " Figure it out yourself.", " Duh.");
  private static final List<DemoPrompt.Kind> SHORT_KINDS =
      List.of(
          DemoPrompt.Kind.ADDITION,
          DemoPrompt.Kind.SUBTRACTION,
          DemoPrompt.Kind.CAPITAL,
          DemoPrompt.Kind.ANIMAL_SOUND);

  private Rankings() {}

  /** {@code count} rankings of distinct prompts, deterministic for a seed. */
  public static List<RankingSubmitted> politeOverRude(int count, long seed) {
    Random random = new Random(seed);
    DemoWorld world = new DemoWorld(seed);
    List<RankingSubmitted> rankings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DemoPrompt prompt = world.next(SHORT_KINDS.get(random.nextInt(SHORT_KINDS.size())));
      String answer = prompt.reference();
      List<RankedCompletion> completions = new ArrayList<>();
      completions.add(
          completion(pick(random, POLITE_OPENERS) + answer + pick(random, POLITE_CLOSERS), 1));
      completions.add(completion(answer, 2));
      completions.add(
          completion(pick(random, RUDE_OPENERS) + answer + pick(random, RUDE_CLOSERS), 3));
      Collections.shuffle(completions, random);
      rankings.add(ranking(new UUID(seed, i), prompt.question(), completions, false, null));
    }
    return rankings;
  }

  public static RankingSubmitted ranking(
      UUID promptId,
      String question,
      List<RankedCompletion> completions,
      boolean allBad,
      String betterResponse) {
    return new RankingSubmitted(
        UUID.randomUUID(),
        Instant.parse("2026-01-01T00:00:00Z"),
        UUID.randomUUID(),
        new UUID(0, 1),
        promptId,
        List.of(new ChatTurn(ChatTurn.Role.USER, question)),
        completions,
        allBad,
        betterResponse,
        1,
        "scripted-contractor");
  }

  public static RankedCompletion completion(String text, int rank) {
    return new RankedCompletion(UUID.randomUUID(), text, "sft-1", rank);
  }

  private static String pick(Random random, List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
