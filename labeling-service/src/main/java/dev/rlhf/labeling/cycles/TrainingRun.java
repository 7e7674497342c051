package dev.rlhf.labeling.cycles;

import dev.rlhf.events.contract.TrainingStage;
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

/** One stage of a cycle; its id is the run id the trainer reports under. */
@Entity
@Table(name = "training_run")
public class TrainingRun extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "cycle_id")
  public UUID cycleId;

  /** 0 for the first stage; stages run in this order. */
  public int position;

  @Enumerated(EnumType.STRING)
  public TrainingStage stage;

  @Enumerated(EnumType.STRING)
  public RunState state;

  /** Every hyper-parameter the run was requested with (defaults merged with the overrides). */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "hyper_parameters")
  public Map<String, String> hyperParameters;

  @Column(name = "base_version")
  public String baseVersion;

  @Column(name = "reward_version")
  public String rewardVersion;

  @Column(name = "produced_version")
  public String producedVersion;

  @Column(name = "failure_reason")
  public String failureReason;

  @Column(name = "requested_at")
  public Instant requestedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** When a trainer last named this run in its heartbeat, while the run was requested. */
  @Column(name = "last_seen_at")
  public Instant lastSeenAt;

  /** The worker that named it then. */
  @Column(name = "worker_id")
  public String workerId;

  public static List<TrainingRun> ofCycle(UUID cycleId) {
    return list("cycleId = ?1 order by position", cycleId);
  }
}
