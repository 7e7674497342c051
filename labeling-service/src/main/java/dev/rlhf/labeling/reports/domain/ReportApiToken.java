package dev.rlhf.labeling.reports.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A token a production system sends reports with; only its SHA-256 digest is stored. */
@Entity
@Table(name = "report_api_token")
public class ReportApiToken extends PanacheEntityBase {

  @Id public UUID id;

  /** The name reports sent with this token carry as their source. */
  public String source;

  @Column(name = "token_hash")
  public String tokenHash;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public Instant createdAt;

  /** Set once; a revoked token is refused from then on. */
  @Column(name = "revoked_at")
  public Instant revokedAt;
}
