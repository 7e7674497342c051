package dev.rlhf.launcher.alignment;

import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import dev.rlhf.lm.demo.DemoPrompt;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A team of scripted labelers sharing one {@link Judge}, working only through the HTTP API as
 * contractors in the browser do: they write the judge's ideal answers as demonstrations, rank
 * completions by the judge (equal scores tied), say "all are bad" and write the ideal answer when
 * none is correct, and rate every completion they rank.
 */
final class Crew {

  /** What the crew's rankings said, for the benchmark's table. */
  record RankingCounts(int rankings, int allTied, int allBad) {}

  private final List<ScriptedContractor> contractors = new ArrayList<>();
  private final Judge judge;
  private final Map<String, DemoPrompt> questions;
  private int rankings;
  private int allTied;
  private int allBad;

  /** Signs up {@code size} contractors who know these questions (by their text). */
  Crew(int size, Judge judge, Map<String, DemoPrompt> questions) {
    for (int i = 0; i < size; i++) contractors.add(Researcher.contractor());
    this.judge = judge;
    this.questions = questions;
  }

  /** The contractors take turns until no demonstration task is left; answers how many. */
  int demonstrate(String project) {
    int written = 0;
    for (boolean any = true; any; ) {
      any = false;
      for (ScriptedContractor contractor : contractors) {
        Optional<JsonPath> task = contractor.nextTask(project, "DEMONSTRATION");
        if (task.isPresent()) {
          contractor.demonstrate(task.get(), question -> judge.ideal(questions.get(question)));
          written++;
          any = true;
        }
      }
    }
    return written;
  }

  /**
   * Ranks ranking tasks as they arrive until {@code done} says so (polled between rounds) or a
   * round finds no task and {@code done} holds; answers the counts so far.
   */
  RankingCounts rank(String project, BooleanSupplier done) throws InterruptedException {
    while (true) {
      boolean any = false;
      for (ScriptedContractor contractor : contractors) {
        Optional<JsonPath> task = contractor.nextTask(project, "RANKING");
        if (task.isEmpty()) continue;
        rankOne(contractor, task.get());
        any = true;
      }
      if (!any) {
        if (done.getAsBoolean()) return new RankingCounts(rankings, allTied, allBad);
        Thread.sleep(500);
      }
    }
  }

  private void rankOne(ScriptedContractor contractor, JsonPath task) {
    List<String> turns = task.getList("conversation.text");
    DemoPrompt prompt = questions.get(turns.get(turns.size() - 1));
    List<Map<String, Object>> completions = task.getList("completions");
    List<List<String>> order = judgeOrder(judge, questions, task);
    boolean noneCorrect =
        completions.stream().noneMatch(c -> judge.correct(prompt, (String) c.get("text")));
    contractor.submitRanking(task, order, noneCorrect ? judge.ideal(prompt) : null);
    contractor.rate(task, ratings(prompt, completions));
    rankings++;
    if (order.size() == 1) allTied++;
    if (noneCorrect) allBad++;
  }

  /** The judge's order of a task's completions, best first, equal scores tied. */
  static List<List<String>> judgeOrder(
      Judge judge, Map<String, DemoPrompt> questions, JsonPath task) {
    List<String> turns = task.getList("conversation.text");
    DemoPrompt prompt = questions.get(turns.get(turns.size() - 1));
    List<Map<String, Object>> completions = task.getList("completions");
    Map<String, Double> score = new HashMap<>();
    for (Map<String, Object> c : completions) {
      score.put((String) c.get("id"), judge.score(prompt, (String) c.get("text")));
    }
    List<String> ids = new ArrayList<>(score.keySet());
    ids.sort(Comparator.comparingDouble((String id) -> -score.get(id)).thenComparing(id -> id));
    List<List<String>> order = new ArrayList<>();
    for (String id : ids) {
      boolean tied =
          !order.isEmpty() && score.get(order.get(order.size() - 1).get(0)).equals(score.get(id));
      if (tied) order.get(order.size() - 1).add(id);
      else order.add(new ArrayList<>(List.of(id)));
    }
    return order;
  }

  /** Helpfulness 1..5 from the judge's score, and UNHELPFUL on what the crew finds wrong. */
  private List<Map<String, Object>> ratings(
      DemoPrompt prompt, List<Map<String, Object>> completions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> c : completions) {
      String text = (String) c.get("text");
      double s = Math.max(0, Math.min(1, judge.score(prompt, text)));
      Map<String, Object> rating = new HashMap<>();
      rating.put("completionId", c.get("id"));
      rating.put("helpful", 1 + (int) Math.round(4 * s));
      if (!judge.correct(prompt, text)) rating.put("flags", List.of("UNHELPFUL"));
      out.add(rating);
    }
    return out;
  }
}
