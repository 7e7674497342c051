package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Work about one prompt that wants answers from several distinct contractors. */
@Entity
@Table(name = "task")
public class Task extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public UUID projectId;

  @Column(name = "prompt_id")
  public UUID promptId;

  @Enumerated(EnumType.STRING)
  public TaskType type;

  @Enumerated(EnumType.STRING)
  public TaskState state;

  /** Higher first. */
  public int priority;

  @Column(name = "answers_wanted")
  public int answersWanted;

  @Column(name = "answers_done")
  public int answersDone;

  /** Assignments active or submitted; never more than answersWanted. */
  @Column(name = "slots_taken")
  public int slotsTaken;

  /** For ranking tasks made from a completion request: that request, once. */
  @Column(name = "completion_request_id")
  public UUID completionRequestId;

  /**
   * Under a project's UNCERTAINTY selection, how uncertain the prompt is, 0..1 (higher first, after
   * priority); null when not scored.
   */
  @Column(name = "selection_score")
  public Double selectionScore;

  /** Which signal gave the selection score; null when not scored. */
  @Enumerated(EnumType.STRING)
  @Column(name = "selection_signal")
  public SelectionSignal selectionSignal;

  /** The reward model whose scores gave the selection score (signal REWARD_MODEL), else null. */
  @Column(name = "selection_reward_version")
  public String selectionRewardVersion;

  @Column(name = "created_at")
  public Instant createdAt;

  /** What the contractor sees, in the order shown. */
  @ManyToMany
  @JoinTable(
      name = "task_completion",
      joinColumns = @JoinColumn(name = "task_id"),
      inverseJoinColumns = @JoinColumn(name = "completion_id"))
  @OrderColumn(name = "position")
  public List<Completion> completions = new ArrayList<>();
}
