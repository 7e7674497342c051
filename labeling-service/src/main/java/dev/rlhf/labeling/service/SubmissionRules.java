package dev.rlhf.labeling.service;

import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.domain.SubmittedLabel;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;

/** What every submission shares: the task must accept this kind of answer, and it counts once. */
@ApplicationScoped
public class SubmissionRules {

  private final EntityManager entityManager;

  SubmissionRules(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  Task lockTaskFor(Assignment assignment, boolean ranking) {
    Task task = entityManager.find(Task.class, assignment.taskId, LockModeType.PESSIMISTIC_WRITE);
    if (task.state == TaskState.CANCELLED) {
      throw ApiProblem.conflict("assignmentId", "the task was cancelled");
    }
    if (task.type.isRanking() != ranking) {
      throw ApiProblem.conflict(
          "assignmentId",
          "this "
              + task.type.name().toLowerCase()
              + " task is answered with a "
              + (task.type.isRanking() ? "ranking" : "demonstration"));
    }
    return task;
  }

  /**
   * Stores a contractor's answer to their assignment and counts it once: the label gets the
   * assignment's task, prompt and guideline version and the time spent (the lease's age when the
   * client does not say), and the assignment is submitted.
   */
  void store(SubmittedLabel label, Assignment assignment, Task task, Long claimedMs, Instant now) {
    label.answers(assignment, task, timeSpent(claimedMs, assignment, now), now);
    label.persist();
    finish(assignment, task, now);
  }

  private static long timeSpent(Long claimed, Assignment assignment, Instant now) {
    if (claimed == null) return Duration.between(assignment.leasedAt, now).toMillis();
    if (claimed < 0) throw ApiProblem.invalid("timeSpentMs", "timeSpentMs must be >= 0");
    return claimed;
  }

  private static void finish(Assignment assignment, Task task, Instant now) {
    assignment.state = AssignmentState.SUBMITTED;
    assignment.finishedAt = now;
    task.answersDone++;
    if (task.answersDone >= task.answersWanted) task.state = TaskState.COMPLETE;
  }
}
