package dev.rlhf.labeling.domain;

import dev.rlhf.events.contract.SamplingSettings;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A request to the runtime for k completions of a prompt; its answer becomes a ranking task. */
@Entity
@Table(name = "completion_request")
public class CompletionRequest extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public UUID projectId;

  @Column(name = "prompt_id")
  public UUID promptId;

  /** Null asks for the currently promoted policy. */
  @Column(name = "policy_version")
  public String policyVersion;

  public int k;

  /** The reward model asked to score the completions (active selection); null: none. */
  @Column(name = "reward_version")
  public String rewardVersion;

  @JdbcTypeCode(SqlTypes.JSON)
  public SamplingSettings sampling;

  @Column(name = "requested_by")
  public String requestedBy;

  @Column(name = "requested_at")
  public Instant requestedAt;

  /** What the answer became: a ranking task, or none for want of two distinct completions. */
  @Enumerated(EnumType.STRING)
  public Outcome outcome;

  /** Completions of the answer dropped as near-duplicates of another. */
  @Column(name = "duplicates_merged")
  public int duplicatesMerged;

  /** What became of an answered request. */
  public enum Outcome {
    /** Two or more distinct completions: a ranking task was opened. */
    RANKING_TASK,
    /** Fewer than two distinct completions: nothing to rank, no task. */
    NO_SIGNAL
  }

  /** Set when the completions arrived; a second answer to the same request is ignored. */
  @Column(name = "fulfilled_at")
  public Instant fulfilledAt;
}
