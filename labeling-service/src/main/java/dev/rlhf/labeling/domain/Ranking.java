package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A contractor's order of a task's completions, or the verdict that all are bad together with an
 * optional better response, which counts as preferred over every completion.
 */
@Entity
@Table(name = "ranking")
public class Ranking extends PanacheEntityBase {

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

  @Column(name = "all_bad")
  public boolean allBad;

  @Column(name = "better_response")
  public String betterResponse;

  @Column(name = "time_spent_ms")
  public long timeSpentMs;

  @Column(name = "guideline_version")
  public int guidelineVersion;

  @Column(name = "created_at")
  public Instant createdAt;

  @ElementCollection
  @CollectionTable(name = "ranking_entry", joinColumns = @JoinColumn(name = "ranking_id"))
  public List<RankedCompletion> entries = new ArrayList<>();
}
