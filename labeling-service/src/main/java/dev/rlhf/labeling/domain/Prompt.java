package dev.rlhf.labeling.domain;

import dev.rlhf.events.contract.ChatTurn;
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

/** A conversation to be answered: ordered turns with roles, ending with a user turn. */
@Entity
@Table(name = "prompt")
public class Prompt extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public UUID projectId;

  @JdbcTypeCode(SqlTypes.JSON)
  public List<ChatTurn> conversation;

  /** Where the prompt came from (an import file, a misbehavior report, a person). */
  public String source;

  @JdbcTypeCode(SqlTypes.JSON)
  public List<String> tags;

  /** The contractor who wrote it, if any: they never label their own prompt. */
  @Column(name = "author_id")
  public UUID authorId;

  @Column(name = "created_at")
  public Instant createdAt;

  /** Held out for evaluating policy versions: never a task, never trained on. */
  @Column(name = "held_out")
  public boolean heldOut;
}
