package dev.rlhf.labeling.arena;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One prompt put to two policy versions. Each version is asked for one completion under its own
 * request id; when both answers are in, a blind COMPARISON task shows them in random order.
 */
@Entity
@Table(name = "arena_match")
public class ArenaMatch extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public UUID projectId;

  @Column(name = "prompt_id")
  public UUID promptId;

  @Column(name = "version_a")
  public String versionA;

  @Column(name = "version_b")
  public String versionB;

  @Column(name = "request_a")
  public UUID requestA;

  @Column(name = "request_b")
  public UUID requestB;

  @Column(name = "completion_a")
  public UUID completionA;

  @Column(name = "completion_b")
  public UUID completionB;

  /** The comparison task, once both completions arrived. */
  @Column(name = "task_id")
  public UUID taskId;

  @Column(name = "requested_by")
  public String requestedBy;

  @Column(name = "created_at")
  public Instant createdAt;
}
