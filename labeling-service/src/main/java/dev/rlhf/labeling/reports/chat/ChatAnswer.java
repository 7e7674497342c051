package dev.rlhf.labeling.reports.chat;

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

/**
 * An answer the model runtime gave on the chat page, with the conversation it ends. Kept so that a
 * report of it, and the next turn of the chat, rest on what was really said: the client names an
 * answer, it cannot write the model's turns or its version.
 */
@Entity
@Table(name = "chat_answer")
public class ChatAnswer extends PanacheEntityBase {

  @Id public UUID id;

  /** Who chatted; nobody else may continue or report it. */
  @Column(name = "account_id")
  public UUID accountId;

  /** The whole conversation, the answer as its last (assistant) turn. */
  @JdbcTypeCode(SqlTypes.JSON)
  public List<ChatTurn> conversation;

  @Column(name = "model_version")
  public String modelVersion;

  @Column(name = "created_at")
  public Instant createdAt;
}
