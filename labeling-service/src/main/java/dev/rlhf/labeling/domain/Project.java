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

/** A labeling effort with its own guidelines, prompts and overlap settings. */
@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

  @Id public UUID id;

  public String name;

  public String description;

  /** Distinct contractors that write a demonstration for each prompt. */
  @Column(name = "demonstration_overlap")
  public int demonstrationOverlap;

  /** Distinct contractors that rank each set of completions. */
  @Column(name = "ranking_overlap")
  public int rankingOverlap;

  /** How the ranking tasks made from completion requests are ordered (after priority). */
  @Enumerated(EnumType.STRING)
  public Selection selection = Selection.RANDOM;

  @Column(name = "created_at")
  public Instant createdAt;

  /** How many answers a new task of this type wants. */
  public int overlapFor(TaskType type) {
    return type.isRanking() ? rankingOverlap : demonstrationOverlap;
  }
}
