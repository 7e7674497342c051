package dev.rlhf.labeling.cycles;

import static org.awaitility.Awaitility.await;

import dev.rlhf.events.Topic;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.labeling.actors.Researcher;
import dev.rlhf.labeling.actors.ScriptedContractor;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Makes real labels for the cycle tests: demonstrations and rankings by scripted contractors. */
public final class Labels {

  private Labels() {}

  /** Writes demonstrations for every open demonstration task of the project. */
  static int demonstrate(ScriptedContractor contractor, String project) {
    return contractor.workThrough(
        project,
        "DEMONSTRATION",
        task -> {
          contractor.demonstrate(task, prompt -> "answer: " + prompt);
          return true;
        });
  }

  /**
   * Asks for completions of a prompt, answers as the runtime over the broker, and ranks the ranking
   * task that comes of it (shorter is better).
   */
  public static void rank(
      TrainerDouble runtime,
      String researcher,
      ScriptedContractor contractor,
      String project,
      String prompt) {
    String requestId =
        Researcher.as(researcher)
            .body(Map.of("promptIds", List.of(prompt), "k", 2))
            .post("/api/projects/" + project + "/completion-requests")
            .then()
            .statusCode(202)
            .extract()
            .path("[0].requestId");
    CompletionsRequested request =
        TrainerDouble.await(
                Topic.COMPLETION_REQUESTS,
                CompletionsRequested.class,
                r -> r.requestId().equals(UUID.fromString(requestId)),
                1)
            .get(0);
    runtime.answer(request, "short", "a much longer answer");
    AtomicReference<JsonPath> task = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              contractor.nextTask(project, "RANKING").ifPresent(task::set);
              return task.get() != null;
            });
    contractor.rank(task.get(), Comparator.comparingInt(String::length));
  }
}
