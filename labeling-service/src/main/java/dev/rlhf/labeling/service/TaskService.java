package dev.rlhf.labeling.service;

import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskState;
import dev.rlhf.labeling.domain.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creates and withdraws tasks; handing them out is the {@link TaskDistributor}'s job. */
@ApplicationScoped
public class TaskService {

  private final ProjectService projects;

  TaskService(ProjectService projects) {
    this.projects = projects;
  }

  /** A researcher asks for a task about a prompt, showing the given completions. */
  @Transactional
  public Task create(
      UUID projectId, UUID promptId, TaskType type, Integer priority, List<UUID> completionIds) {
    Project project = projects.find(projectId);
    if (type == null) throw ApiProblem.invalid("type", "type is required");
    Prompt prompt = promptId == null ? null : Prompt.findById(promptId);
    if (prompt == null || !prompt.projectId.equals(projectId)) {
      throw ApiProblem.invalid("promptId", "no such prompt in this project");
    }
    if (prompt.heldOut) {
      throw ApiProblem.invalid("promptId", "prompt " + promptId + " is held out for evaluation");
    }
    List<Completion> completions = new ArrayList<>();
    for (UUID id : completionIds == null ? List.<UUID>of() : completionIds) {
      Completion completion = Completion.findById(id);
      if (completion == null || !completion.promptId.equals(promptId)) {
        throw ApiProblem.invalid("completionIds", "completion " + id + " is not of this prompt");
      }
      if (completions.contains(completion)) {
        throw ApiProblem.invalid("completionIds", "completion " + id + " is listed twice");
      }
      completions.add(completion);
    }
    if (type.isRanking() && completions.size() < 2) {
      throw ApiProblem.invalid("completionIds", type + " needs at least 2 completions");
    }
    if (type == TaskType.COMPARISON && completions.size() != 2) {
      throw ApiProblem.invalid("completionIds", "a comparison shows exactly 2 completions");
    }
    if (type == TaskType.CORRECTION && completions.size() != 1) {
      throw ApiProblem.invalid("completionIds", "a correction needs the 1 completion to correct");
    }
    return open(project, prompt.id, type, priority == null ? 0 : priority, completions, null);
  }

  /** Opens a task wanting the project's overlap of answers. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Task open(
      Project project,
      UUID promptId,
      TaskType type,
      int priority,
      List<Completion> completions,
      UUID completionRequestId) {
    Task task = new Task();
    task.id = UUID.randomUUID();
    task.projectId = project.id;
    task.promptId = promptId;
    task.type = type;
    task.state = TaskState.OPEN;
    task.priority = priority;
    task.answersWanted = project.overlapFor(type);
    task.completionRequestId = completionRequestId;
    task.completions.addAll(completions);
    task.createdAt = Instant.now();
    task.persist();
    return task;
  }

  /** Withdraws a task: no more slots are handed out and open leases can no longer submit. */
  @Transactional
  public Task cancel(UUID taskId) {
    // Locked: leases, submissions and skips change the task's counters concurrently, and the
    // update below writes every column.
    Task task = Task.findById(taskId, LockModeType.PESSIMISTIC_WRITE);
    if (task == null) throw ApiProblem.notFound("task " + taskId);
    if (task.state == TaskState.COMPLETE) {
      throw ApiProblem.conflict("state", "the task is already complete");
    }
    task.state = TaskState.CANCELLED;
    return task;
  }
}
