package dev.rlhf.labeling.quality.gold;

import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskState;
import dev.rlhf.labeling.domain.TaskType;
import dev.rlhf.labeling.quality.measures.RankingAgreement;
import dev.rlhf.labeling.service.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Marks ranking tasks (with their known order or pair) and demonstration tasks (with a checklist a
 * reviewer scores) as gold, and sets a project's gold rate.
 */
@ApplicationScoped
public class GoldService {

  /** A project's gold rate and how many gold tasks it has. */
  public record GoldRate(UUID projectId, double rate, long goldTasks) {}

  private final EntityManager entityManager;

  GoldService(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /**
   * Makes the task gold with this answer, or replaces its answer. The task keeps taking answers,
   * one from every contractor; answers it already has are scored like later ones.
   */
  @Transactional
  public GoldTask mark(UUID taskId, GoldAnswer answer, String researcher) {
    Task task = entityManager.find(Task.class, taskId, LockModeType.PESSIMISTIC_WRITE);
    if (task == null) throw ApiProblem.notFound("task " + taskId);
    if (task.type != TaskType.RANKING && task.type != TaskType.DEMONSTRATION) {
      throw ApiProblem.conflict(
          "taskId",
          "only ranking and demonstration tasks can be gold; this is a " + task.type + " task");
    }
    if (task.state == TaskState.CANCELLED) {
      throw ApiProblem.conflict("taskId", "the task was cancelled");
    }
    if (answer == null) throw ApiProblem.invalid("order", "a JSON body is required");
    List<List<UUID>> required;
    if (task.type == TaskType.DEMONSTRATION) {
      answer = new GoldAnswer(null, null, null, checklist(answer));
      required = List.of();
    } else {
      if (answer.checklist() != null) {
        throw ApiProblem.invalid("checklist", "a ranking task's gold is an order or a pair");
      }
      required = requiredPairs(answer, task.completions.stream().map(c -> c.id).toList());
    }

    GoldTask found = GoldTask.findById(taskId);
    GoldTask gold = found == null ? new GoldTask() : found;
    gold.taskId = taskId;
    gold.projectId = task.projectId;
    gold.answer = answer;
    gold.requiredPairs = required;
    gold.markedBy = researcher;
    gold.markedAt = Instant.now();
    if (found == null) gold.persist();
    task.answersWanted = Math.max(task.answersWanted, GoldTask.ANSWERS_WANTED);
    task.state = TaskState.OPEN;
    return gold;
  }

  public Optional<GoldTask> find(UUID taskId) {
    return GoldTask.findByIdOptional(taskId);
  }

  @Transactional
  public GoldRate setRate(UUID projectId, Double rate, String researcher) {
    requireProject(projectId);
    if (rate == null || rate.isNaN() || rate < 0 || rate > 1) {
      throw ApiProblem.invalid("rate", "rate must be a number from 0 to 1");
    }
    entityManager
        .createNativeQuery(
            "insert into project_gold_rate (project_id, rate, updated_by, updated_at)"
                + " values (?1, ?2, ?3, now()) on conflict (project_id) do update"
                + " set rate = excluded.rate, updated_by = excluded.updated_by,"
                + " updated_at = excluded.updated_at")
        .setParameter(1, projectId)
        .setParameter(2, rate)
        .setParameter(3, researcher)
        .executeUpdate();
    return rate(projectId);
  }

  public GoldRate rate(UUID projectId) {
    requireProject(projectId);
    List<?> rates =
        entityManager
            .createNativeQuery("select rate from project_gold_rate where project_id = ?1")
            .setParameter(1, projectId)
            .getResultList();
    double rate = rates.isEmpty() ? 0 : ((Number) rates.get(0)).doubleValue();
    return new GoldRate(projectId, rate, GoldTask.count("projectId", projectId));
  }

  private static void requireProject(UUID projectId) {
    if (Project.findById(projectId) == null) throw ApiProblem.notFound("project " + projectId);
  }

  /** A demonstration's checklist, checked: 1 to MAX_ITEMS items of short, non-blank text. */
  static List<String> checklist(GoldAnswer answer) {
    if (answer.order() != null || answer.better() != null || answer.worse() != null) {
      throw ApiProblem.invalid("checklist", "a demonstration task's gold is a checklist");
    }
    List<String> items = answer.checklist();
    if (items == null || items.isEmpty()) {
      throw ApiProblem.invalid("checklist", "give the checklist's items");
    }
    if (items.size() > GoldTask.MAX_CHECKLIST_ITEMS) {
      throw ApiProblem.invalid(
          "checklist", "at most " + GoldTask.MAX_CHECKLIST_ITEMS + " checklist items");
    }
    List<String> trimmed = new java.util.ArrayList<>();
    for (String item : items) {
      String text = item == null ? "" : item.strip();
      if (text.isEmpty()) throw ApiProblem.invalid("checklist", "a checklist item is blank");
      if (text.length() > GoldTask.MAX_CHECKLIST_ITEM_LENGTH) {
        throw ApiProblem.invalid(
            "checklist",
            "a checklist item is at most " + GoldTask.MAX_CHECKLIST_ITEM_LENGTH + " characters");
      }
      trimmed.add(text);
    }
    return List.copyOf(trimmed);
  }

  /** Checks the answer against the task's completions; returns the pairs it requires. */
  static List<List<UUID>> requiredPairs(GoldAnswer answer, List<UUID> shown) {
    boolean ordered = answer.order() != null;
    boolean paired = answer.better() != null || answer.worse() != null;
    if (ordered == paired) {
      throw ApiProblem.invalid("order", "give either an order or a required pair (better, worse)");
    }
    if (paired) {
      if (answer.better() == null) throw ApiProblem.invalid("better", "better is required");
      if (answer.worse() == null) throw ApiProblem.invalid("worse", "worse is required");
      if (!shown.contains(answer.better())) {
        throw ApiProblem.invalid("better", "completion " + answer.better() + " is not the task's");
      }
      if (!shown.contains(answer.worse())) {
        throw ApiProblem.invalid("worse", "completion " + answer.worse() + " is not the task's");
      }
      if (answer.better().equals(answer.worse())) {
        throw ApiProblem.invalid("worse", "better and worse must be different completions");
      }
      return List.of(List.of(answer.better(), answer.worse()));
    }
    Map<UUID, Integer> ranks = new LinkedHashMap<>();
    int rank = 0;
    for (List<UUID> group : answer.order()) {
      rank++;
      if (group == null || group.isEmpty()) {
        throw ApiProblem.invalid("order", "order has an empty group");
      }
      for (UUID id : group) {
        if (id == null || !shown.contains(id)) {
          throw ApiProblem.invalid("order", "completion " + id + " is not one of this task's");
        }
        if (ranks.put(id, rank) != null) {
          throw ApiProblem.invalid("order", "completion " + id + " is ranked twice");
        }
      }
    }
    for (UUID id : shown) {
      if (!ranks.containsKey(id)) {
        throw ApiProblem.invalid("order", "completion " + id + " is missing from the order");
      }
    }
    List<List<UUID>> pairs = RankingAgreement.pairsOf(ranks);
    if (pairs.isEmpty()) {
      throw ApiProblem.invalid("order", "a gold order must put some completion above another");
    }
    return pairs;
  }
}
