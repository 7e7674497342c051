package dev.rlhf.labeling.domain;

import dev.rlhf.events.contract.SamplingSettings;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A text a policy sampled for a prompt; untrusted, shown to contractors as plain text. */
@Entity
@Table(name = "completion")
public class Completion extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "prompt_id")
  public UUID promptId;

  /** The request that produced it; null for completions that came with a report or an import. */
  @Column(name = "request_id")
  public UUID requestId;

  public String text;

  @Column(name = "policy_version")
  public String policyVersion;

  @JdbcTypeCode(SqlTypes.JSON)
  public SamplingSettings sampling;

  @Column(name = "created_at")
  public Instant createdAt;

  /**
   * Its scalar reward by the reward model its request named (for active selection); null when
   * unscored. Never shown to contractors: it would tell them the model's preference.
   */
  @Column(name = "reward_score")
  public Double rewardScore;

  /** The same by that reward model's check model; null when unscored or it has none. */
  @Column(name = "check_reward_score")
  public Double checkRewardScore;
}
