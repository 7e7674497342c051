package dev.rlhf.labeling.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A reviewer's verdict on one label. The label's own row never changes: a correction is kept here
 * and becomes the label of record for exports and training snapshots.
 */
@Entity
@Table(name = "label_review")
public class LabelReview extends PanacheEntityBase {

  /** What a reviewer decided. */
  public enum Outcome {
    /** The label stands as submitted. */
    ACCEPTED,
    /** The label is wrong; it leaves exports and future training snapshots. */
    REJECTED,
    /** The reviewer's corrected label replaces it from now on. */
    CORRECTED
  }

  @Id public UUID id;

  @Column(name = "label_id")
  public UUID labelId;

  /** DEMONSTRATION or RANKING. */
  @Column(name = "label_type")
  public String labelType;

  @Column(name = "project_id")
  public UUID projectId;

  @Column(name = "contractor_id")
  public UUID contractorId;

  @Column(name = "reviewer_id")
  public UUID reviewerId;

  @Enumerated(EnumType.STRING)
  public Outcome outcome;

  /** Why it was rejected (required then) or corrected. */
  public String reason;

  @Column(name = "corrected_response")
  public String correctedResponse;

  /** A corrected ranking: each completion id with its rank (1 best, equal ranks tie). */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "corrected_ranks")
  public Map<UUID, Integer> correctedRanks;

  @Column(name = "corrected_informative_pairs")
  public Integer correctedInformativePairs;

  /** The event that announced the label; null for a label older than the outbox keeps. */
  @Column(name = "original_event_id")
  public UUID originalEventId;

  /** The event that announced the corrected label to the trainers. */
  @Column(name = "correction_event_id")
  public UUID correctionEventId;

  /**
   * An answer to a gold demonstration task: the reviewer's verdict on each checklist item, in the
   * checklist's order (true: met); null for any other label.
   */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "checklist_scores")
  public List<Boolean> checklistScores;

  @Column(name = "reviewed_at")
  public Instant reviewedAt;
}
