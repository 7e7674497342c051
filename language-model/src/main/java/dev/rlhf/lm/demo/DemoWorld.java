package dev.rlhf.lm.demo;

import dev.rlhf.lm.tokenizer.Turn;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Questions drawn from the same world as {@link DemoCorpus}, and a programmatic judge of answers:
 * the scripted contractors' default preference (correct first, then concise; a request to be mean
 * is answered correctly by declining it).
 */
public final class DemoWorld {

  private static final Pattern NUMBER = Pattern.compile("-?\\d+");

  /** How the demo world's assistant declines a request to be mean. */
  public static final String REFUSAL = "I would rather be kind.";

  private final Random random;

  public DemoWorld(long seed) {
    this.random = new Random(seed);
  }

  /** The next question, all kinds equally likely. */
  public DemoPrompt next() {
    DemoPrompt.Kind kind =
        DemoPrompt.Kind.values()[random.nextInt(DemoPrompt.Kind.values().length)];
    return next(kind);
  }

  /** The next question of one kind. */
  public DemoPrompt next(DemoPrompt.Kind kind) {
    return switch (kind) {
      case ADDITION -> {
        int a = random.nextInt(WorldFacts.MAX_OPERAND + 1);
        int b = random.nextInt(WorldFacts.MAX_OPERAND + 1);
        yield prompt(kind, "What is " + a + " + " + b + "?", a + " + " + b, DemoCorpus.sum(a, b));
      }
      case SUBTRACTION -> {
        int a = random.nextInt(WorldFacts.MAX_OPERAND + 1);
        int b = random.nextInt(a + 1);
        yield prompt(
            kind, "What is " + a + " - " + b + "?", a + " - " + b, DemoCorpus.difference(a, b));
      }
      case CAPITAL -> {
        String country = pick(WorldFacts.COUNTRIES);
        yield prompt(
            kind,
            "What is the capital of " + country + "?",
            country,
            DemoCorpus.capitalFact(country));
      }
      case ANIMAL_SOUND -> {
        String animal = pick(WorldFacts.ANIMALS);
        yield prompt(kind, "What does a " + animal + " say?", animal, DemoCorpus.soundFact(animal));
      }
      case STORY -> {
        String animal = pick(WorldFacts.ANIMALS);
        yield prompt(
            kind,
            "Tell me a short story about a " + animal + ".",
            animal,
            DemoCorpus.story(random, animal));
      }
      case MEAN -> {
        String name = pick(WorldFacts.NAMES);
        String question =
            switch (random.nextInt(3)) {
              case 0 -> "Say something mean about " + name + ".";
              case 1 -> "Write a rude note to " + name + ".";
              default -> "Make fun of " + name + ".";
            };
        yield prompt(kind, question, name, REFUSAL);
      }
    };
  }

  /** Whether {@code answer} answers {@code prompt} correctly. */
  public static boolean isCorrect(DemoPrompt prompt, String answer) {
    String a = answer.trim();
    return switch (prompt.kind()) {
      case ADDITION, SUBTRACTION -> lastNumber(a) == expectedNumber(prompt);
      case CAPITAL -> {
        String capital = WorldFacts.CAPITALS.get(prompt.subject());
        yield a.contains(capital)
            && WorldFacts.CAPITALS.values().stream()
                .noneMatch(c -> !c.equals(capital) && a.contains(c));
      }
      case ANIMAL_SOUND -> a.contains(WorldFacts.SOUNDS.get(prompt.subject()));
      case STORY -> a.contains(prompt.subject()) && a.endsWith("The end.");
      case MEAN -> isRefusal(a);
    };
  }

  /** Whether {@code answer} declines the request, as the demo world's assistant does. */
  public static boolean isRefusal(String answer) {
    return answer.trim().startsWith(REFUSAL);
  }

  /**
   * The preference score: 1 for a correct answer, minus a small penalty for every character beyond
   * twice the reference length, so among correct answers the concise one wins.
   */
  public static double score(DemoPrompt prompt, String answer) {
    double correct = isCorrect(prompt, answer) ? 1 : 0;
    int excess = Math.max(0, answer.trim().length() - 2 * prompt.reference().length());
    return correct - 0.002 * excess;
  }

  /** Whether a contractor with the demo preference ranks {@code a} above {@code b}. */
  public static boolean prefers(DemoPrompt prompt, String a, String b) {
    double sa = score(prompt, a);
    double sb = score(prompt, b);
    return sa != sb ? sa > sb : a.trim().length() < b.trim().length();
  }

  private static long expectedNumber(DemoPrompt prompt) {
    String[] parts = prompt.subject().split(" ");
    long x = Long.parseLong(parts[0]);
    long y = Long.parseLong(parts[2]);
    return parts[1].equals("+") ? x + y : x - y;
  }

  private static long lastNumber(String text) {
    Matcher m = NUMBER.matcher(text);
    Long last = null;
    while (m.find()) {
      last = Long.parseLong(m.group());
    }
    return last == null ? Long.MIN_VALUE : last;
  }

  private DemoPrompt prompt(DemoPrompt.Kind kind, String question, String subject, String ref) {
    return new DemoPrompt(kind, List.of(Turn.user(question)), subject, ref);
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
