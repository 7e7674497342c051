package dev.rlhf.labeling.reports.domain;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.MisbehaviorReported.Category;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A bad answer of a deployed policy version that someone reported, with every repeat of it merged
 * in. Its texts are untrusted user and model output: shown as plain text only.
 */
@Entity
@Table(name = "misbehavior_report")
public class MisbehaviorReport extends PanacheEntityBase {

  @Id public UUID id;

  /** Who reported it first: an API token's source name, a Kafka producer's, or "chat". */
  public String source;

  /** The reporter's own id for it, if it has one. */
  @Column(name = "external_id")
  public String externalId;

  @JdbcTypeCode(SqlTypes.JSON)
  public List<ChatTurn> conversation;

  @Column(name = "conversation_hash")
  public String conversationHash;

  @Column(name = "model_version")
  public String modelVersion;

  @Enumerated(EnumType.STRING)
  public Category category;

  /** 1 (minor) to 5 (severe); the highest of all merged repeats. */
  public int severity;

  /** The reporter's note. */
  public String text;

  @Enumerated(EnumType.STRING)
  public ReportState state;

  /** How often it was reported, this first time included. */
  @Column(name = "report_count")
  public int reportCount;

  @Column(name = "first_reported_at")
  public Instant firstReportedAt;

  @Column(name = "last_reported_at")
  public Instant lastReportedAt;

  @Column(name = "triaged_by")
  public String triagedBy;

  @Column(name = "triaged_at")
  public Instant triagedAt;

  @Column(name = "reject_reason")
  public String rejectReason;

  /** The prompt made from the conversation on acceptance; its source names this report. */
  @Column(name = "prompt_id")
  public UUID promptId;

  @Column(name = "correction_task_id")
  public UUID correctionTaskId;

  /** Fresh samples asked for on acceptance; their ranking task appears when they arrive. */
  @Column(name = "completion_request_id")
  public UUID completionRequestId;
}
