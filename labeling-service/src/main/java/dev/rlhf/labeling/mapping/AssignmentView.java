package dev.rlhf.labeling.mapping;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.labeling.domain.Assignment;
import dev.rlhf.labeling.domain.AssignmentState;
import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.CompletionRating;
import dev.rlhf.labeling.domain.GuidelineVersion;
import dev.rlhf.labeling.domain.Project;
import dev.rlhf.labeling.domain.Prompt;
import dev.rlhf.labeling.domain.Task;
import dev.rlhf.labeling.domain.TaskType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An assignment as a contractor sees it: the task, the conversation, the completions to judge and
 * the guidelines it is labeled under, and the ratings the contractor already saved (in the order
 * the completions are shown). Every text is plain, untrusted text; clients must not render it as
 * HTML.
 */
public record AssignmentView(
    UUID assignmentId,
    AssignmentState state,
    Instant leaseExpiresAt,
    UUID taskId,
    TaskType type,
    UUID projectId,
    String projectName,
    UUID promptId,
    List<ChatTurn> conversation,
    List<String> tags,
    List<CompletionView> completions,
    Guidelines guidelines,
    List<RatingView> ratings) {

  /** A completion to rank, rate or correct. */
  public record CompletionView(UUID id, String text, String policyVersion) {}

  /** The guideline version the assignment is labeled under. */
  public record Guidelines(int version, String markdown) {}

  public static AssignmentView of(Assignment assignment) {
    Task task = Task.findById(assignment.taskId);
    Prompt prompt = Prompt.findById(task.promptId);
    Project project = Project.findById(task.projectId);
    GuidelineVersion guidelines =
        GuidelineVersion.find(
                "projectId = ?1 and version = ?2", task.projectId, assignment.guidelineVersion)
            .firstResult();
    return new AssignmentView(
        assignment.id,
        assignment.state,
        assignment.leaseExpiresAt,
        task.id,
        task.type,
        project.id,
        project.name,
        prompt.id,
        prompt.conversation,
        prompt.tags,
        task.completions.stream().map(c -> view(c, task.type)).toList(),
        guidelines == null ? null : new Guidelines(guidelines.version, guidelines.markdown),
        ratings(assignment, task));
  }

  private static List<RatingView> ratings(Assignment assignment, Task task) {
    List<UUID> shown = task.completions.stream().map(c -> c.id).toList();
    return CompletionRating.<CompletionRating>list("assignmentId", assignment.id).stream()
        .sorted(Comparator.comparingInt(r -> shown.indexOf(r.completionId)))
        .map(RatingView::of)
        .toList();
  }

  /** Comparisons are blind: the contractor must not learn which version wrote what. */
  private static CompletionView view(Completion c, TaskType type) {
    return new CompletionView(c.id, c.text, type == TaskType.COMPARISON ? null : c.policyVersion);
  }
}
