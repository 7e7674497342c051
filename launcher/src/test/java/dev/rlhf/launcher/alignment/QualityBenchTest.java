package dev.rlhf.launcher.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quality benchmark's crowd and its ROC AUC, which the README's figures rest on. */
class QualityBenchTest {

  private final DemoPrompt prompt = new DemoWorld(5).next(DemoPrompt.Kind.ADDITION);

  /** A ranking task as the assignment view shows it: the question and completions a, b, c. */
  private JsonPath task(String a, String b, String c) {
    return new JsonPath(
        Researcher.json(
            Map.of(
                "conversation",
                List.of(Map.of("role", "user", "text", prompt.question())),
                "completions",
                List.of(
                    Map.of("id", "a", "text", a),
                    Map.of("id", "b", "text", b),
                    Map.of("id", "c", "text", c)))));
  }

  @Test
  void theJudgesOrderPutsTheCorrectAnswerFirstAndTiesEqualScores() {
    JsonPath task = task("?", prompt.reference(), "!");
    List<List<String>> order =
        Crew.judgeOrder(Judge.CONCISE, Map.of(prompt.question(), prompt), task);
    assertThat(order).containsExactly(List.of("b"), List.of("a", "c"));
  }

  @Test
  void anAlwaysFirstActorRanksInTheOrderShownAndARandomOneGivesAStrictOrder() {
    JsonPath task = task("?", prompt.reference(), "!");
    Map<String, DemoPrompt> questions = Map.of(prompt.question(), prompt);
    assertThat(
            QualityBench.rank(
                QualityBench.Kind.ALWAYS_FIRST, Judge.CONCISE, questions, task, new Random(1)))
        .containsExactly(List.of("a"), List.of("b"), List.of("c"));
    List<List<String>> random =
        QualityBench.rank(QualityBench.Kind.RANDOM, Judge.CONCISE, questions, task, new Random(1));
    assertThat(random).hasSize(3).allMatch(group -> group.size() == 1);
    assertThat(random.stream().flatMap(List::stream)).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aCopyFirstActorSaysAllAreBadAndWritesTheFirstCompletionAsItsDemonstration() {
    JsonPath task = task("?", prompt.reference(), "!");
    Map<String, DemoPrompt> questions = Map.of(prompt.question(), prompt);
    QualityBench.Answer copied =
        QualityBench.answer(
            QualityBench.Kind.COPY_FIRST, Judge.CONCISE, questions, task, new Random(1));
    assertThat(copied.betterResponse()).isEqualTo("?");
    assertThat(copied.order()).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    assertThat(QualityBench.Kind.COPY_FIRST.bad()).isTrue();
    assertThat(
            QualityBench.answer(
                    QualityBench.Kind.CAREFUL, Judge.CONCISE, questions, task, new Random(1))
                .betterResponse())
        .isNull();
  }

  @Test
  void noiseSwapsAdjacentGroupsWithItsProbability() {
    List<List<String>> order = List.of(List.of("a"), List.of("b"), List.of("c"));
    assertThat(QualityBench.swapped(order, 0, new Random(1))).isEqualTo(order);
    Random random = new Random(7);
    int firstKept = 0;
    for (int i = 0; i < 10_000; i++) {
      if (QualityBench.swapped(order, 0.3, random).get(0).equals(List.of("a"))) firstKept++;
    }
    assertThat(firstKept / 10_000.0).isCloseTo(0.7, within(0.02));
  }

  @Test
  void aucIsTheShareOfBadGoodPairsOrderedRightTiesHalf() {
    List<Boolean> bad = List.of(true, false, false, true);
    assertThat(QualityBench.auc(new double[] {0.9, 0.1, 0.2, 0.8}, bad)).isEqualTo(1.0);
    assertThat(QualityBench.auc(new double[] {0.1, 0.9, 0.8, 0.2}, bad)).isEqualTo(0.0);
    // Bad scores 0.5 and 0.2 against good 0.5 and 0.1: 0.5 + 1 + 0 + 1 of 4 pairs.
    assertThat(QualityBench.auc(new double[] {0.5, 0.5, 0.1, 0.2}, bad)).isEqualTo(0.625);
  }

  @Test
  void rankingsNeededInterpolateBetweenMeasuredBudgets() {
    int[] steps = {80, 160};
    // Reached at the first budget: between 0 rankings (accuracy 0.5) and 80 at 0.7, 0.6 is at 40.
    assertThat(LabelValue.needed(steps, new double[] {0.7, 0.72}, 0.6)).isEqualTo("40");
    // Between 80 (0.6) and 160 (0.7): 0.65 is at 120.
    assertThat(LabelValue.needed(steps, new double[] {0.6, 0.7}, 0.65)).isEqualTo("120");
    assertThat(LabelValue.needed(steps, new double[] {0.6, 0.62}, 0.7)).isEqualTo("> 160");
  }
}
