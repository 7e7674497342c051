package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;

/**
 * What every contractor's answer to an assignment records besides the answer itself: which task,
 * project and prompt it answers, who gave it, under which guideline version and how long it took.
 */
@MappedSuperclass
public abstract class SubmittedLabel extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "assignment_id")
  public UUID assignmentId;

  @Column(name = "task_id")
  public UUID taskId;

  @Column(name = "project_id")
  public UUID projectId;

  @Column(name = "prompt_id")
  public UUID promptId;

  @Column(name = "contractor_id")
  public UUID contractorId;

  @Column(name = "time_spent_ms")
  public long timeSpentMs;

  @Column(name = "guideline_version")
  public int guidelineVersion;

  @Column(name = "created_at")
  public Instant createdAt;

  /** The id of the event that announces this label (never a correction's). */
  @Column(name = "event_id")
  public UUID eventId;

  /**
   * Fills the shared columns from the assignment this label answers, with a fresh id and the fresh
   * id of the event that will announce it.
   */
  public void answers(Assignment assignment, Task task, long timeSpentMs, Instant now) {
    id = UUID.randomUUID();
    eventId = UUID.randomUUID();
    assignmentId = assignment.id;
    taskId = task.id;
    projectId = task.projectId;
    promptId = task.promptId;
    contractorId = assignment.contractorId;
    this.timeSpentMs = timeSpentMs;
    guidelineVersion = assignment.guidelineVersion;
    createdAt = now;
  }
}
