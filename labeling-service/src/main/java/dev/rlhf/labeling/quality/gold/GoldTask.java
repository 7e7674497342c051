package dev.rlhf.labeling.quality.gold;

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

/**
 * A ranking or demonstration task whose answer a researcher knows; contractors' answers to it are
 * scored (a demonstration's by a reviewer, on the answer's checklist).
 */
@Entity
@Table(name = "gold_task")
public class GoldTask extends PanacheEntityBase {

  /**
   * How many answers a gold task wants: every contractor may answer it once, so it never fills up.
   */
  public static final int ANSWERS_WANTED = 1_000_000;

  public static final int MAX_CHECKLIST_ITEMS = 10;
  public static final int MAX_CHECKLIST_ITEM_LENGTH = 200;

  @Id
  @Column(name = "task_id")
  public UUID taskId;

  @Column(name = "project_id")
  public UUID projectId;

  @JdbcTypeCode(SqlTypes.JSON)
  public GoldAnswer answer;

  /** The (better, worse) completion pairs the answer states; none for a demonstration. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "required_pairs")
  public List<List<UUID>> requiredPairs;

  @Column(name = "marked_by")
  public String markedBy;

  @Column(name = "marked_at")
  public Instant markedAt;

  /** The checklist a reviewer scores a demonstration answer on; null for a ranking task. */
  public List<String> checklist() {
    return answer == null ? null : answer.checklist();
  }
}
