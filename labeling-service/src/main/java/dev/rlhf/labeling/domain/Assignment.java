package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One slot of a task leased to one contractor. */
@Entity
@Table(name = "assignment")
public class Assignment extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "task_id")
  public UUID taskId;

  @Column(name = "contractor_id")
  public UUID contractorId;

  @Enumerated(EnumType.STRING)
  public AssignmentState state;

  /** The guidelines shown when the task was handed out; the label records it. */
  @Column(name = "guideline_version")
  public int guidelineVersion;

  @Column(name = "leased_at")
  public Instant leasedAt;

  @Column(name = "lease_expires_at")
  public Instant leaseExpiresAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "skip_reason")
  public String skipReason;
}
