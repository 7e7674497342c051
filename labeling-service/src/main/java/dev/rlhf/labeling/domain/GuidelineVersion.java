package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One immutable version of a project's labeling guidelines, in Markdown. */
@Entity
@Table(name = "guideline_version")
public class GuidelineVersion extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public UUID projectId;

  public int version;

  public String markdown;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public Instant createdAt;

  public static Optional<GuidelineVersion> current(UUID projectId) {
    return find("projectId = ?1 order by version desc", projectId).firstResultOptional();
  }
}
