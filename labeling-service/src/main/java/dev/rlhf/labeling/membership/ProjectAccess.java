package dev.rlhf.labeling.membership;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * Who may draw a project's tasks, and how many. A project without a row is open to every contractor
 * without caps (every project made before members existed): an upgrade locks nobody out.
 */
@Entity
@Table(name = "project_access")
public class ProjectAccess extends PanacheEntityBase {

  @Id
  @Column(name = "project_id")
  public UUID projectId;

  /** Only members draw tasks. Switched on by the first member added, off only by a researcher. */
  @Column(name = "members_only")
  public boolean membersOnly;

  /** Most tasks one contractor takes of this project in any hour; null: no cap. */
  @Column(name = "hourly_task_cap")
  public Integer hourlyTaskCap;

  /** Most tasks one contractor takes of this project in any 24 hours; null: no cap. */
  @Column(name = "daily_task_cap")
  public Integer dailyTaskCap;

  @Column(name = "updated_by")
  public String updatedBy;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** The project's row, or a new (not yet stored) open one. */
  static ProjectAccess of(UUID projectId) {
    ProjectAccess access = findById(projectId);
    if (access != null) return access;
    access = new ProjectAccess();
    access.projectId = projectId;
    return access;
  }
}
