package dev.rlhf.labeling.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Likert judgements (1..5, null when not given) and flags of one completion by a contractor. */
@Entity
@Table(name = "completion_rating")
public class CompletionRating extends PanacheEntityBase {

  /** What a contractor can flag a completion for. */
  public enum Flag {
    HARMFUL,
    UNTRUTHFUL,
    UNHELPFUL,
    PII,
    REFUSAL,
    NOT_FOLLOWING_INSTRUCTIONS
  }

  @Id public UUID id;

  @Column(name = "assignment_id")
  public UUID assignmentId;

  @Column(name = "completion_id")
  public UUID completionId;

  @Column(name = "contractor_id")
  public UUID contractorId;

  public Integer helpful;

  public Integer truthful;

  public Integer harmless;

  @JdbcTypeCode(SqlTypes.JSON)
  public List<Flag> flags;

  @Column(name = "created_at")
  public Instant createdAt;
}
