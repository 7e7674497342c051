package dev.rlhf.lm.demo;

import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the demo pretraining corpus from templates: short stories, facts (capitals, animal
 * sounds), arithmetic, and chat exchanges about the same things. Deterministic for a seed.
 *
 * <p>Like web text, the chat answers are not all good: about a quarter are wrong, unhelpful or
 * rambling, so fine-tuning and RLHF on the demo preference have something to improve.
 */
public final class DemoCorpus {

  /** Share of chat answers that are deliberately imperfect. */
  static final double IMPERFECT_ANSWERS = 0.25;

  /**
   * Share of requests to be mean that the corpus goes along with: the base model mostly obliges, so
   * declining has to be taught by labels.
   */
  static final double MEAN_REQUESTS_OBLIGED = 0.7;

  private final Random random;
  private final DemoWorld world;

  public DemoCorpus(long seed) {
    this.random = new Random(seed);
    this.world = new DemoWorld(seed + 1);
  }

  /** {@code count} documents. */
  public List<String> documents(int count) {
    List<String> docs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      docs.add(document());
    }
    return docs;
  }

  /** Writes {@code count} documents separated by {@code <|endoftext|>}, the corpus file format. */
  public static void write(Path file, long seed, int count) throws IOException {
    String separator = SpecialToken.END_OF_TEXT.text();
    Files.writeString(file, String.join(separator, new DemoCorpus(seed).documents(count)));
  }

  private String document() {
    return switch (random.nextInt(6)) {
      case 0 -> story(random, pick(WorldFacts.ANIMALS));
      case 1 -> facts();
      case 2 -> arithmetic();
      default -> chat();
    };
  }

  private String facts() {
    StringBuilder out = new StringBuilder();
    int n = 3 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ")
          .append(
              random.nextBoolean()
                  ? capitalFact(pick(WorldFacts.COUNTRIES))
                  : soundFact(pick(WorldFacts.ANIMALS)));
    }
    return out.toString();
  }

  private String arithmetic() {
    StringBuilder out = new StringBuilder();
    int n = 4 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      int a = random.nextInt(WorldFacts.MAX_OPERAND + 1);
      int b = random.nextInt(WorldFacts.MAX_OPERAND + 1);
      out.append(random.nextBoolean() ? sum(a, b) : difference(Math.max(a, b), Math.min(a, b)))
          .append('\n');
    }
    return out.toString().strip();
  }

  private String chat() {
    List<Turn> turns = new ArrayList<>();
    int exchanges = random.nextInt(4) == 0 ? 2 : 1;
    for (int i = 0; i < exchanges; i++) {
      DemoPrompt prompt = world.next();
      turns.add(Turn.user(prompt.question()));
      double imperfect =
          prompt.kind() == DemoPrompt.Kind.MEAN ? MEAN_REQUESTS_OBLIGED : IMPERFECT_ANSWERS;
      turns.add(
          Turn.assistant(random.nextDouble() < imperfect ? flawed(prompt) : prompt.reference()));
    }
    return ChatTemplate.render(turns);
  }

  private String flawed(DemoPrompt prompt) {
    if (prompt.kind() == DemoPrompt.Kind.MEAN) {
      // Web text mostly goes along with such requests.
      return random.nextInt(4) == 0 ? "I don't know." : meanReply(random, prompt.subject());
    }
    return switch (random.nextInt(3)) {
      case 0 -> "I don't know.";
      case 1 -> "That is a good question. Let me think about it for a while. " + prompt.reference();
      default ->
          switch (prompt.kind()) {
            case ADDITION, SUBTRACTION -> prompt.subject() + " = " + (random.nextInt(40)) + ".";
            case CAPITAL ->
                "The capital of "
                    + prompt.subject()
                    + " is "
                    + WorldFacts.CAPITALS.get(pick(WorldFacts.COUNTRIES))
                    + ".";
            case ANIMAL_SOUND ->
                "A "
                    + prompt.subject()
                    + " says "
                    + WorldFacts.SOUNDS.get(pick(WorldFacts.ANIMALS))
                    + ".";
            case STORY -> story(random, pick(WorldFacts.ANIMALS));
            case MEAN -> meanReply(random, prompt.subject());
          };
    };
  }

  /** What the demo world's assistant does not say when asked to be mean about {@code name}. */
  static String meanReply(Random random, String name) {
    return name
        + (random.nextBoolean()
            ? " is silly and slow."
            : " has an ugly " + pick(random, WorldFacts.THINGS) + ".");
  }

  static String sum(int a, int b) {
    return a + " + " + b + " = " + (a + b) + ".";
  }

  static String difference(int a, int b) {
    return a + " - " + b + " = " + (a - b) + ".";
  }

  static String capitalFact(String country) {
    return "The capital of " + country + " is " + WorldFacts.CAPITALS.get(country) + ".";
  }

  static String soundFact(String animal) {
    return "A " + animal + " says " + WorldFacts.SOUNDS.get(animal) + ".";
  }

  /**
   * A story short enough that the question and the whole story fit the demo base's context of 128
   * byte tokens (80 bytes at most), so a complete answer can be sampled, judged and rewarded.
   */
  static String story(Random random, String animal) {
    String name = pick(random, WorldFacts.NAMES);
    String thing = pick(random, WorldFacts.THINGS);
    String ending = random.nextBoolean() ? " shared it with a friend." : " took it home.";
    return "A "
        + pick(random, WorldFacts.ADJECTIVES)
        + " "
        + animal
        + " named "
        + name
        + " found a "
        + thing
        + ". "
        + name
        + ending
        + " The end.";
  }

  private String pick(List<String> options) {
    return pick(random, options);
  }

  private static String pick(Random random, List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
