package dev.rlhf.labeling.runtimekeys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A key a client of the model runtime sends as its bearer token; only its digest is kept. */
@Entity
@Table(name = "runtime_api_key")
public class RuntimeApiKey extends PanacheEntityBase {

  @Id public UUID id;

  /** Who uses it (a team, a script, an evaluation job). */
  public String name;

  @Column(name = "token_hash")
  public String tokenHash;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public Instant createdAt;

  /** Set once; the runtime refuses the key from then on. */
  @Column(name = "revoked_at")
  public Instant revokedAt;
}
