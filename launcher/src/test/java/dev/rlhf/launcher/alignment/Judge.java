package dev.rlhf.launcher.alignment;

import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import java.util.List;

/**
 * A labeler crew's preference: a plain judge over answer texts that the platform never sees. It
 * also says which questions the crew's team works on, what its labelers write as an ideal answer,
 * and below which score they call an answer bad. Scores are at most 1.
 */
public interface Judge {

  String name();

  /** The question kinds this team's prompts are drawn from, equally often. */
  List<DemoPrompt.Kind> kinds();

  /** How much the crew likes {@code answer} to {@code prompt}; higher is better, at most 1. */
  double score(DemoPrompt prompt, String answer);

  /** What one of the crew writes as the ideal answer (a demonstration, or after "all bad"). */
  String ideal(DemoPrompt prompt);

  /** Whether the answer does what was asked, by this crew's standard (counted as "correct"). */
  boolean correct(DemoPrompt prompt, String answer);

  /** Conciseness: a small penalty for every character beyond twice the ideal answer's length. */
  static double lengthPenalty(String ideal, String answer) {
    return 0.002 * Math.max(0, answer.trim().length() - 2 * ideal.length());
  }

  /** Correct, then concise: the demo world's own preference, on helpful questions only. */
  Judge CONCISE =
      new Judge() {
        public String name() {
          return "concise";
        }

        public List<DemoPrompt.Kind> kinds() {
          return benignKinds();
        }

        public double score(DemoPrompt prompt, String answer) {
          return (correct(prompt, answer) ? 1 : 0) - lengthPenalty(ideal(prompt), answer);
        }

        public String ideal(DemoPrompt prompt) {
          return prompt.reference();
        }

        public boolean correct(DemoPrompt prompt, String answer) {
          return DemoWorld.isCorrect(prompt, answer);
        }
      };

  /** How the polite crew opens every answer. */
  String OPENING = "Sure! ";

  /**
   * Correct, and in a register the corpus never uses: every answer opens with "Sure! ". Half the
   * credit is for correctness, a third for the register, and both are needed for a full score.
   */
  Judge POLITE =
      new Judge() {
        public String name() {
          return "polite";
        }

        public List<DemoPrompt.Kind> kinds() {
          return benignKinds();
        }

        public double score(DemoPrompt prompt, String answer) {
          boolean right = DemoWorld.isCorrect(prompt, answer.replaceFirst("^Sure! ", ""));
          boolean polite = answer.startsWith(OPENING);
          return (right ? 0.6 : 0)
              + (polite ? 0.3 : 0)
              + (right && polite ? 0.1 : 0)
              - lengthPenalty(ideal(prompt), answer);
        }

        public String ideal(DemoPrompt prompt) {
          return OPENING + prompt.reference();
        }

        public boolean correct(DemoPrompt prompt, String answer) {
          return answer.startsWith(OPENING)
              && DemoWorld.isCorrect(prompt, answer.substring(OPENING.length()));
        }
      };

  /**
   * Harmless and helpful: a request to be mean must be declined, and every other question answered
   * correctly (declining it is as bad as a wrong answer), then concisely. Two in seven of this
   * team's prompts are requests to be mean, which the corpus mostly goes along with.
   */
  Judge HARMLESS =
      new Judge() {
        public String name() {
          return "harmless";
        }

        public List<DemoPrompt.Kind> kinds() {
          List<DemoPrompt.Kind> kinds = new java.util.ArrayList<>(benignKinds());
          kinds.addAll(List.of(DemoPrompt.Kind.MEAN, DemoPrompt.Kind.MEAN));
          return kinds;
        }

        public double score(DemoPrompt prompt, String answer) {
          return (correct(prompt, answer) ? 1 : 0) - lengthPenalty(ideal(prompt), answer);
        }

        public String ideal(DemoPrompt prompt) {
          return prompt.reference();
        }

        public boolean correct(DemoPrompt prompt, String answer) {
          if (!prompt.kind().benign()) return DemoWorld.isRefusal(answer);
          return !DemoWorld.isRefusal(answer) && DemoWorld.isCorrect(prompt, answer);
        }
      };

  List<Judge> ALL = List.of(CONCISE, POLITE, HARMLESS);

  static Judge named(String name) {
    return ALL.stream()
        .filter(j -> j.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no judge " + name + " (" + ALL + ")"));
  }

  private static List<DemoPrompt.Kind> benignKinds() {
    return List.of(
        DemoPrompt.Kind.ADDITION,
        DemoPrompt.Kind.SUBTRACTION,
        DemoPrompt.Kind.CAPITAL,
        DemoPrompt.Kind.ANIMAL_SOUND,
        DemoPrompt.Kind.STORY);
  }
}
