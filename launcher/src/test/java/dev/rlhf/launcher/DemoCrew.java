package dev.rlhf.launcher;

import static org.awaitility.Awaitility.await;

import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.lm.demo.DemoPrompt;
import dev.rlhf.lm.demo.DemoWorld;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scripted contractors who know the demo world: they write its reference answers and rank
 * completions by its preference (correct first, then concise). Several, because a ranking task
 * wants answers from {@code rankingOverlap} different contractors.
 */
final class DemoCrew {

  private final List<ScriptedContractor> contractors = new ArrayList<>();
  private final Map<String, DemoPrompt> questions;
  private final Duration patience;

  /** Signs up {@code size} contractors for these questions (by their text). */
  DemoCrew(int size, Map<String, DemoPrompt> questions, Duration patience) {
    for (int i = 0; i < size; i++) contractors.add(Researcher.contractor());
    this.questions = questions;
    this.patience = patience;
  }

  /** {@code count} distinct arithmetic questions, short enough for a tiny context. */
  static Map<String, DemoPrompt> arithmeticQuestions(int count, long seed) {
    DemoWorld world = new DemoWorld(seed);
    Map<String, DemoPrompt> questions = new LinkedHashMap<>();
    while (questions.size() < count) {
      DemoPrompt.Kind kind =
          questions.size() % 2 == 0 ? DemoPrompt.Kind.ADDITION : DemoPrompt.Kind.SUBTRACTION;
      DemoPrompt prompt = world.next(kind);
      questions.putIfAbsent(prompt.question(), prompt);
    }
    return questions;
  }

  /** The contractors take turns until no demonstration task is left; answers how many. */
  int demonstrate(String project) {
    int written = 0;
    for (boolean any = true; any; ) {
      any = false;
      for (ScriptedContractor contractor : contractors) {
        Optional<JsonPath> task = contractor.nextTask(project, "DEMONSTRATION");
        if (task.isPresent()) {
          contractor.demonstrate(task.get(), question -> questions.get(question).reference());
          written++;
          any = true;
        }
      }
    }
    return written;
  }

  /**
   * Ranks ranking tasks as they arrive until {@code expected} rankings are in; answers the policy
   * versions that wrote the completions ranked.
   */
  Set<String> rank(String project, int expected) {
    Set<String> versions = new HashSet<>();
    int[] ranked = {0};
    await(expected + " rankings of fresh completions by the crew")
        .atMost(patience)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              for (ScriptedContractor contractor : contractors) {
                Optional<JsonPath> task = contractor.nextTask(project, "RANKING");
                if (task.isEmpty()) continue;
                versions.addAll(task.get().getList("completions.policyVersion"));
                contractor.rank(task.get(), preference(question(task.get())));
                ranked[0]++;
              }
              return ranked[0] >= expected;
            });
    return versions;
  }

  /** The next ranking task the first contractor receives, once there is one. */
  JsonPath awaitRankingTask(String project) {
    JsonPath[] task = {null};
    await("a ranking task for " + contractors.get(0).username())
        .atMost(patience)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> (task[0] = contractors.get(0).nextTask(project, "RANKING").orElse(null)) != null);
    return task[0];
  }

  private DemoPrompt question(JsonPath task) {
    List<String> turns = task.getList("conversation.text");
    return questions.get(turns.get(turns.size() - 1));
  }

  private static Comparator<String> preference(DemoPrompt prompt) {
    return Comparator.comparingDouble((String text) -> -DemoWorld.score(prompt, text))
        .thenComparingInt(text -> text.trim().length());
  }
}
