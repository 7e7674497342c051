package dev.rlhf.labeling.registry;

import dev.rlhf.events.contract.ModelVersionPublished;
import dev.rlhf.events.contract.PolicyEvaluation;
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

/** A policy or reward version in the registry, as its trainer published it. */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

  @Id public String version;

  @Enumerated(EnumType.STRING)
  public ModelVersionPublished.Kind kind;

  /** The version it was trained from; null for a base the platform pretrained. */
  @Column(name = "parent_version")
  public String parentVersion;

  /** For PPO versions: the reward model it was trained against. */
  @Column(name = "reward_version")
  public String rewardVersion;

  @Column(name = "cycle_id")
  public UUID cycleId;

  @Column(name = "run_id")
  public UUID runId;

  @Enumerated(EnumType.STRING)
  public TrainingStage stage;

  @Column(name = "checkpoint_path")
  public String checkpointPath;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Double> metrics;

  @Column(name = "published_at")
  public Instant publishedAt;

  /** The last time a researcher promoted it; the most recently promoted policy is served. */
  @Column(name = "promoted_at")
  public Instant promotedAt;

  @Column(name = "promoted_by")
  public String promotedBy;

  /** What the trainer said the researcher must know about this version. */
  @JdbcTypeCode(SqlTypes.JSON)
  public List<String> warnings;

  /** A policy's evaluation against its parent; null for reward models and unevaluated versions. */
  @JdbcTypeCode(SqlTypes.JSON)
  public PolicyEvaluation evaluation;

  /** Why it was promoted although its evaluation did not pass; null when it passed. */
  @Column(name = "promotion_override")
  public String promotionOverride;
}
