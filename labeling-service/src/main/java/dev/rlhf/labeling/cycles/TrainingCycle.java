package dev.rlhf.labeling.cycles;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A researcher's request to run some training stages, in order, on a frozen label snapshot. */
@Entity
@Table(name = "training_cycle")
public class TrainingCycle extends PanacheEntityBase {

  @Id public UUID id;

  /** Only this project's labels are in the snapshot; null takes every project's. */
  @Column(name = "project_id")
  public UUID projectId;

  @Enumerated(EnumType.STRING)
  public CycleState state;

  /** The policy the first stage starts from. */
  @Column(name = "base_version")
  public String baseVersion;

  /** The reward version given for PPO when the cycle has no REWARD stage of its own. */
  @Column(name = "reward_version")
  public String rewardVersion;

  @Column(name = "failure_reason")
  public String failureReason;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** The reason given to let PPO use a reward model below the gate; null without one. */
  @Column(name = "reward_gate_override")
  public String rewardGateOverride;

  /** The failed or cancelled cycle this one retries from its unfinished stage; null if none. */
  /** What the researcher was warned of when the cycle started (too few informative pairs). */
  @JdbcTypeCode(SqlTypes.JSON)
  public List<String> warnings = new ArrayList<>();

  @Column(name = "retry_of")
  public UUID retryOf;

  /** Which labels the snapshot was asked to hold; a retry keeps it with the snapshot. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "snapshot_filter")
  public SnapshotFilter snapshotFilter;
}
