package dev.rlhf.events.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.rlhf.events.Topic;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A production system or a user reported a bad answer of a deployed model version. */
public record MisbehaviorReported(
    UUID eventId,
    Instant occurredAt,
    String source,
    String externalId,
    List<ChatTurn> conversation,
    String modelVersion,
    Category category,
    int severity,
    String text)
    implements PlatformEvent {

  /** What went wrong. */
  public enum Category {
    HARMFUL,
    UNTRUTHFUL,
    UNHELPFUL,
    WRONG_REFUSAL,
    OTHER;

    /** Read in any case, as {@link ChatTurn.Role} is. */
    @JsonCreator
    public static Category of(String name) {
      return Require.oneOf(Category.class, name, "category");
    }
  }

  public MisbehaviorReported {
    Require.present(eventId, "eventId");
    Require.present(occurredAt, "occurredAt");
    Require.text(source, "source");
    conversation = List.copyOf(Require.nonEmpty(conversation, "conversation"));
    Require.present(category, "category");
    if (severity < 1 || severity > 5) throw new IllegalArgumentException("severity must be 1..5");
  }

  @Override
  public Topic topic() {
    return Topic.MISBEHAVIOR_REPORTS;
  }

  @Override
  public String key() {
    return source + ":" + (externalId == null ? eventId : externalId);
  }
}
