package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The ideal response a contractor wrote, possibly by editing a completion. */
@Entity
@Table(name = "demonstration")
public class Demonstration extends PanacheEntityBase {

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

  public String response;

  @Column(name = "edited_from_completion_id")
  public UUID editedFromCompletionId;

  @Column(name = "time_spent_ms")
  public long timeSpentMs;

  @Column(name = "guideline_version")
  public int guidelineVersion;

  @Column(name = "created_at")
  public Instant createdAt;
}
